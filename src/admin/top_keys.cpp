#include "admin/top_keys.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace cachet::admin {
namespace {

constexpr char key_separator = '\x1f';  // between method, host and target (cache/key.cpp)

}  // namespace

TopKeys::TopKeys(std::uint64_t seed) noexcept : random_(seed | 1), countdown_(0) {
    countdown_ = next_countdown();
}

std::uint32_t TopKeys::next_countdown() noexcept {
    // xorshift64*: a few instructions per sample, plenty for spreading samples.
    random_ ^= random_ >> 12;
    random_ ^= random_ << 25;
    random_ ^= random_ >> 27;
    const std::uint64_t r = random_ * 0x2545F4914F6CDD1DULL;
    return 1 + static_cast<std::uint32_t>((r >> 32) % (2 * kTopKeySampleEvery - 1));
}

void TopKeys::record(std::string_view key, std::uint64_t hash) noexcept {
    countdown_ = next_countdown();
    changed_ = true;
    if (const auto sep = key.find(key_separator); sep != std::string_view::npos)
        key.remove_prefix(sep + 1);  // the method: every keyed request is keyed as GET
    TopKeySlot* least = &table_[0];
    for (TopKeySlot& slot : table_) {
        if (slot.count != 0 && slot.hash == hash) {
            ++slot.count;
            return;
        }
        if (slot.count < least->count) least = &slot;
    }
    least->hash = hash;
    ++least->count;  // space-saving: the new key inherits the count it displaces
    std::size_t size = std::min(key.size(), kTopKeyText);
    if (size < key.size()) {
        // Not inside a UTF-8 sequence: back to the start of the character that was cut.
        while (size > 0 && (static_cast<unsigned char>(key[size]) & 0xC0) == 0x80) --size;
    }
    least->size = static_cast<std::uint8_t>(size);
    least->cut = size < key.size();
    key.copy(least->text.data(), least->size);
}

void PublishedTopKeys::publish(TopKeys& keys) {
    if (!keys.take_changed()) return;
    std::lock_guard lock(mutex_);
    table_ = keys.table();
}

TopKeyTable PublishedTopKeys::read() const {
    std::lock_guard lock(mutex_);
    return table_;
}

std::string key_text(std::string_view stored, bool cut) {
    std::string out;
    out.reserve(stored.size() + 3);
    bool host_ended = false;
    for (char c : stored) {
        if (c == key_separator && !host_ended) {
            host_ended = true;  // host, then the target, which starts with '/'
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (cut) out += "...";
    return out;
}

std::vector<TopKey> merge_top_keys(std::span<const TopKeyTable> tables, std::size_t n) {
    struct Sum {
        const TopKeySlot* slot;
        std::uint64_t count;
    };
    std::unordered_map<std::uint64_t, Sum> sums;
    for (const TopKeyTable& table : tables) {
        for (const TopKeySlot& slot : table) {
            if (slot.count == 0) continue;
            auto [it, inserted] = sums.try_emplace(slot.hash, Sum{&slot, 0});
            it->second.count += slot.count;
        }
    }
    std::vector<TopKey> out;
    out.reserve(sums.size());
    for (const auto& [hash, sum] : sums) {
        out.push_back({key_text({sum.slot->text.data(), sum.slot->size}, sum.slot->cut),
                       sum.count * kTopKeySampleEvery});
    }
    std::sort(out.begin(), out.end(), [](const TopKey& a, const TopKey& b) {
        return a.hits != b.hits ? a.hits > b.hits : a.key < b.key;
    });
    if (out.size() > n) out.resize(n);
    return out;
}

}  // namespace cachet::admin
