#include "cache/purge_index.hpp"

#include <algorithm>

#include "cache/entry.hpp"
#include "cache/key.hpp"
#include "http/head_fields.hpp"
#include "http/header_view.hpp"

namespace cachet::cache {

namespace {

constexpr char key_separator = '\x1f';  // between method, host and target (cache/key.cpp)

}  // namespace

std::string_view path_key(std::string_view key) noexcept {
    const std::size_t sep = key.find(key_separator);
    return sep == std::string_view::npos ? key : key.substr(sep + 1);
}

bool PurgeIndex::ByPath::operator()(const Entry* a, const Entry* b) const noexcept {
    const std::string_view pa = path_key(a->key());
    const std::string_view pb = path_key(b->key());
    if (pa != pb) return pa < pb;
    return a->key() < b->key();  // the same URL under two methods
}

bool PurgeIndex::ByPath::operator()(const Entry* a, std::string_view b) const noexcept {
    return path_key(a->key()) < b;
}

bool PurgeIndex::ByPath::operator()(std::string_view a, const Entry* b) const noexcept {
    return a < path_key(b->key());
}

PurgeIndex::PurgeIndex()
    : by_path_(ByPath{}, decltype(by_path_)::allocator_type(&bytes_)),
      tags_(0, TagHash{}, TagEq{}, TagMap::allocator_type(&bytes_)) {}

PurgeIndex::~PurgeIndex() {
    for (auto& [entry, member] : by_path_) {
        while (member != nullptr) {
            TagMember* next = member->next_of_entry;
            CountingAllocator<TagMember>(&bytes_).deallocate(member, 1);
            member = next;
        }
    }
}

void PurgeIndex::add(Entry* e, std::span<const std::string_view> tags) {
    auto [node, inserted] = by_path_.emplace(e, nullptr);
    if (!inserted || tags.empty()) return;
    for (const std::string_view tag : tags) {
        auto it = tags_.find(tag);
        if (it == tags_.end()) {
            it = tags_
                     .emplace(std::piecewise_construct,
                              std::forward_as_tuple(tag, CountingAllocator<char>(&bytes_)),
                              std::forward_as_tuple())
                     .first;
            it->second.name = &it->first;
        }
        TagList& list = it->second;
        TagMember* member = CountingAllocator<TagMember>(&bytes_).allocate(1);
        *member = TagMember{e, nullptr, list.first, node->second, &list};
        if (list.first != nullptr) list.first->prev = member;
        list.first = member;
        ++list.count;
        node->second = member;
    }
}

void PurgeIndex::remove_member(TagMember* member) noexcept {
    TagList& list = *member->tag;
    if (member->prev != nullptr) {
        member->prev->next = member->next;
    } else {
        list.first = member->next;
    }
    if (member->next != nullptr) member->next->prev = member->prev;
    CountingAllocator<TagMember>(&bytes_).deallocate(member, 1);
    if (--list.count == 0) {
        // Found again by a view of its own key: erase(iterator) never reads the key.
        tags_.erase(tags_.find(std::string_view(list.name->data(), list.name->size())));
    }
}

void PurgeIndex::remove(Entry* e) noexcept {
    // Keys are unique in a shard, so the one equivalent to e is e.
    auto it = by_path_.find(e);
    if (it == by_path_.end() || it->first != e) return;
    for (TagMember* member = it->second; member != nullptr;) {
        TagMember* next = member->next_of_entry;
        remove_member(member);
        member = next;
    }
    by_path_.erase(it);
}

void PurgeIndex::match_url(std::string_view url, std::vector<Entry*>& out) const {
    for (auto it = by_path_.lower_bound(url); it != by_path_.end(); ++it) {
        const std::string_view path = path_key(it->first->key());
        if (!path.starts_with(url)) break;
        // Past the URL itself its keys sort by the next byte: only 0x1E (a variant) is
        // this URL's; a longer target such as url + "x" is another resource.
        if (path.size() == url.size() || path[url.size()] == variant_separator) {
            out.push_back(it->first);
        } else if (static_cast<unsigned char>(path[url.size()]) >
                   static_cast<unsigned char>(variant_separator)) {
            break;
        }
    }
}

void PurgeIndex::match_prefix(std::string_view host, std::string_view prefix,
                              std::vector<Entry*>& out) const {
    std::string start;  // a miss-path (purge) allocation: the seek key
    auto collect = [&](std::string_view host_name) {
        start.assign(host_name).push_back(key_separator);
        start.append(prefix);
        for (auto it = by_path_.lower_bound(std::string_view(start)); it != by_path_.end(); ++it) {
            if (!path_key(it->first->key()).starts_with(start)) break;
            out.push_back(it->first);
        }
    };
    if (!host.empty()) {
        collect(host);
        return;
    }
    // Each host of this shard in turn: its entries are one run, and the first key past the
    // run is the first one not below host 0x20 (0x1F + 1).
    auto it = by_path_.begin();
    std::string next;
    while (it != by_path_.end()) {
        const std::string_view path = path_key(it->first->key());
        const std::string_view host_name = path.substr(0, path.find(key_separator));
        next.assign(host_name).push_back(static_cast<char>(key_separator + 1));
        collect(host_name);
        it = by_path_.lower_bound(std::string_view(next));
    }
}

void PurgeIndex::match_tag(std::string_view tag, std::vector<Entry*>& out) const {
    auto it = tags_.find(tag);
    if (it == tags_.end()) return;
    out.reserve(out.size() + it->second.count);
    for (const TagMember* m = it->second.first; m != nullptr; m = m->next) out.push_back(m->entry);
}

namespace {

void add_tags_of_value(std::string_view value, std::vector<std::string_view>& out) {
    std::size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && (value[i] == ' ' || value[i] == ',' || value[i] == '\t')) ++i;
        std::size_t end = i;
        while (end < value.size() && value[end] != ' ' && value[end] != ',' && value[end] != '\t')
            ++end;
        if (end > i) {
            std::string_view tag = value.substr(i, end - i);
            if (std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(tag);
        }
        i = end;
    }
}

template <class Fields>
void add_tags_of_fields(const Fields& fields, std::span<const std::string> header_names,
                        std::vector<std::string_view>& out) {
    for (const http::HeaderView& field : fields) {
        for (const std::string& name : header_names) {
            if (http::iequals(field.name, name)) {
                add_tags_of_value(field.value, out);
                break;
            }
        }
    }
}

struct FieldLines {  // field lines with no status line before them
    std::string_view lines;
    http::HeadFieldIterator begin() const noexcept { return http::HeadFieldIterator(lines); }
    http::HeadFieldIterator end() const noexcept { return {}; }
};

}  // namespace

void tags_of_head(const StoredHead& head, std::span<const std::string> header_names,
                  std::vector<std::string_view>& out) {
    if (header_names.empty()) return;
    if (head.shared.empty()) {
        add_tags_of_fields(http::HeadFields(head.own), header_names, out);
        return;
    }
    // The status line is in the shared part; the own lines are fields only.
    add_tags_of_fields(http::HeadFields(head.shared), header_names, out);
    add_tags_of_fields(FieldLines{head.own}, header_names, out);
}

}  // namespace cachet::cache
