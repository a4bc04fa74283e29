#include "replay/replay_table.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "cache/key.hpp"
#include "http/header_view.hpp"

namespace cachet::replay {
namespace {

constexpr Seconds kEndOfTime = std::numeric_limits<std::uint32_t>::max();

std::size_t shared_prefix(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = std::min(a.size(), b.size());
    std::size_t i = 0;
    while (i < n && a[i] == b[i]) ++i;
    return i;
}

}  // namespace

std::string without_date_lines(std::string_view head) {
    std::string out;
    out.reserve(head.size());
    while (!head.empty()) {
        const std::size_t end = head.find("\r\n");
        const std::size_t next = end == std::string_view::npos ? head.size() : end + 2;
        const std::string_view line = head.substr(0, next);
        if (!(line.size() >= 5 && http::iequals(line.substr(0, 5), "date:"))) out += line;
        head.remove_prefix(next);
    }
    return out;
}

cache::EntryRef replay_entry(const snapshot::RecordView& record, bool without_date) {
    cache::Entry::Spec spec;
    spec.key = record.key;
    spec.hash = cache::hash_key(record.key);
    const std::string head = without_date ? without_date_lines(record.head) : std::string();
    spec.head = without_date ? std::string_view(head) : record.head;
    spec.body_size = record.body.size();
    spec.status = record.status;
    spec.freshness = {kEndOfTime, record.initial_age, kEndOfTime, kEndOfTime};
    spec.stale.has_validators = record.has_validators;
    cache::EntryRef entry = cache::Entry::create(spec);
    if (!record.body.empty())
        std::memcpy(entry->body_data(), record.body.data(), record.body.size());
    return entry;
}

void ReplayTable::add(const snapshot::RecordView& record) {
    if (record.vary_marker || record.key.empty()) return;  // markers answer nothing
    const std::uint64_t hash = cache::hash_key(record.key);
    Answers* answers = find(record.key, hash);
    if (!answers) {
        keys_.push_back(std::make_unique<Answers>());
        answers = keys_.back().get();
        if ((keys_.size() + 1) * 2 > slots_.size()) grow();  // at most half full
        insert_slot(hash, answers);
    }
    answers->entries.push_back(replay_entry(record, without_date_));
    answers->latency_us.push_back(record.latency_us);
    ++answers_;
    body_bytes_ += record.body.size();
}

void ReplayTable::seal() {
    sorted_keys_.clear();
    sorted_keys_.reserve(keys_.size());
    for (const auto& answers : keys_) sorted_keys_.push_back(answers->entries.front()->key());
    std::sort(sorted_keys_.begin(), sorted_keys_.end());
}

ReplayTable::Answers* ReplayTable::find(std::string_view key, std::uint64_t hash) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = slots_[i];
        if (!slot.answers) return nullptr;
        if (slot.hash == hash && slot.answers->entries.front()->key() == key) return slot.answers;
    }
}

void ReplayTable::insert_slot(std::uint64_t hash, Answers* answers) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    while (slots_[i].answers) i = (i + 1) & mask;
    slots_[i] = {hash, answers};
}

void ReplayTable::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
    for (const Slot& slot : old) {
        if (slot.answers) insert_slot(slot.hash, slot.answers);
    }
}

std::optional<ReplayAnswer> ReplayTable::answer(std::string_view key, std::uint64_t hash,
                                                ReplayOrder order, bool counted) const noexcept {
    const Answers* answers = find(key, hash);
    if (!answers) return std::nullopt;
    const std::size_t count = answers->entries.size();
    std::uint64_t n = 0;
    if (count > 1 || counted) n = answers->given.fetch_add(1, std::memory_order_relaxed);
    std::size_t index = 0;
    if (count > 1) {
        index = order == ReplayOrder::cycle
                    ? static_cast<std::size_t>(n % count)
                    : static_cast<std::size_t>(std::min<std::uint64_t>(n, count - 1));
    }
    return ReplayAnswer{&answers->entries[index], answers->latency_us[index], n};
}

std::vector<std::string_view> ReplayTable::nearest(std::string_view key, std::size_t limit) const {
    // The keys sharing the longest prefix with `key` sit next to where it would be in sorted
    // order: a few on either side hold the best candidates.
    const auto at = std::lower_bound(sorted_keys_.begin(), sorted_keys_.end(), key);
    const std::size_t pos = static_cast<std::size_t>(at - sorted_keys_.begin());
    const std::size_t from = pos > limit ? pos - limit : 0;
    const std::size_t to = std::min(sorted_keys_.size(), pos + limit);
    std::vector<std::string_view> candidates(sorted_keys_.begin() + static_cast<long>(from),
                                             sorted_keys_.begin() + static_cast<long>(to));
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](std::string_view a, std::string_view b) {
                         return shared_prefix(a, key) > shared_prefix(b, key);
                     });
    if (candidates.size() > limit) candidates.resize(limit);
    return candidates;
}

std::string printable_key(std::string_view key) {
    std::string out;
    out.reserve(key.size());
    for (const char c : key) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0x1f || byte == 0x1e) {
            out += ' ';
        } else if (byte < 0x20 || byte == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace cachet::replay
