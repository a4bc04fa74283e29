#pragma once
// A shard's indexes for purges (cache/purge.hpp): its entries ordered by path, and its tags.
// Lookups never read them; inserts, erases, evictions and expirations keep them, under the
// shard's mutex, which guards every member here (the Shard owns one PurgeIndex).
//
// - By path: every linked entry, ordered by the key past its method, "host 0x1F target"
//   (a variant's key goes on with 0x1E and its secondary key, a marker's and a stored
//   206's key is the URL's own), then by the whole key. A URL's entry, its vary marker and
//   all its variants are therefore one range, and so is every target of one host that
//   starts with a prefix.
// - By tag: tag → an intrusive list of the entries whose response named it; each entry's
//   memberships are chained from its by_path_ node, so unlinking it leaves its tags in
//   O(tags). Only tagged entries have memberships.
//
// Memory: node-based containers whose every allocation is counted (malloc_usable_size,
// the jemalloc size class) in bytes(), which StoreStats::index_bytes reports. It is not
// charged to the byte budget (like the shards' bucket arrays): about 48 bytes per entry
// for the path index, more per tag (cachet-store-bench prints both).
#include <malloc.h>

#include <cstddef>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cachet::cache {

class Entry;
struct StoredHead;

// An allocator that adds what it allocates (in size classes) to a counter it borrows.
template <class T>
struct CountingAllocator {
    using value_type = T;
    std::size_t* bytes;  // borrowed: the PurgeIndex's counter

    explicit CountingAllocator(std::size_t* counter) noexcept : bytes(counter) {}
    template <class U>
    CountingAllocator(const CountingAllocator<U>& other) noexcept : bytes(other.bytes) {}
    T* allocate(std::size_t n) {
        void* p = std::malloc(n * sizeof(T));
        if (p == nullptr) std::abort();  // out of memory may abort (STYLE.md)
        *bytes += malloc_usable_size(p);
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t) noexcept {
        *bytes -= malloc_usable_size(p);
        std::free(p);
    }
    template <class U>
    bool operator==(const CountingAllocator<U>& other) const noexcept {
        return bytes == other.bytes;
    }
};

// The part of a key a path range is over: past the method and its separator.
std::string_view path_key(std::string_view key) noexcept;

class PurgeIndex {
public:
    PurgeIndex();
    ~PurgeIndex();
    PurgeIndex(const PurgeIndex&) = delete;
    PurgeIndex& operator=(const PurgeIndex&) = delete;

    // e is being linked into the shard, with the tags its response carried (may be empty).
    void add(Entry* e, std::span<const std::string_view> tags);
    // e is being unlinked.
    void remove(Entry* e) noexcept;

    // Appends to `out` the entries whose path key is `url` exactly, or `url` 0x1E ...: the
    // URL's entry or marker and its variants.
    void match_url(std::string_view url, std::vector<Entry*>& out) const;
    // Appends the entries whose path key starts with host 0x1F prefix (host normalised as
    // build_key writes it); with an empty host, those of every host (one seek per host of
    // this shard, then one per match).
    void match_prefix(std::string_view host, std::string_view prefix,
                      std::vector<Entry*>& out) const;
    // Appends the entries tagged `tag`.
    void match_tag(std::string_view tag, std::vector<Entry*>& out) const;

    std::size_t bytes() const noexcept { return bytes_; }  // size classes of every allocation

private:
    struct ByPath {
        using is_transparent = void;
        bool operator()(const Entry* a, const Entry* b) const noexcept;
        bool operator()(const Entry* a, std::string_view b) const noexcept;
        bool operator()(std::string_view a, const Entry* b) const noexcept;
    };
    using TagString = std::basic_string<char, std::char_traits<char>, CountingAllocator<char>>;
    struct TagHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
        std::size_t operator()(const TagString& s) const noexcept {
            return (*this)(std::string_view(s.data(), s.size()));
        }
    };
    struct TagEq {
        using is_transparent = void;
        template <class A, class B>
        bool operator()(const A& a, const B& b) const noexcept {
            return std::string_view(a.data(), a.size()) == std::string_view(b.data(), b.size());
        }
    };
    struct TagList;
    // One entry's membership in one tag: in the tag's list and in the entry's chain of
    // tags (which starts in the entry's by_path_ node). 40 bytes, a 48-byte size class.
    struct TagMember {
        Entry* entry;
        TagMember* prev;
        TagMember* next;
        TagMember* next_of_entry;
        TagList* tag;
    };
    struct TagList {
        TagMember* first = nullptr;
        std::size_t count = 0;
        const TagString* name = nullptr;  // the key of its node in tags_
    };
    using TagMap = std::unordered_map<TagString, TagList, TagHash, TagEq,
                                      CountingAllocator<std::pair<const TagString, TagList>>>;

    void remove_member(TagMember* member) noexcept;

    std::size_t bytes_ = 0;  // declared first: the containers' allocators point at it
    // Entry → its first TagMember (null when untagged): the mapped pointer fits the node's
    // size class (48 bytes), so an entry's tag chain costs the path index nothing.
    std::map<Entry*, TagMember*, ByPath, CountingAllocator<std::pair<Entry* const, TagMember*>>>
        by_path_;
    TagMap tags_;
};

// The tags a stored head carries in any of `header_names` (case-insensitive), values
// separated by spaces or commas, appended to `out` once each. The views borrow from the
// entry's head.
void tags_of_head(const StoredHead& head, std::span<const std::string> header_names,
                  std::vector<std::string_view>& out);

}  // namespace cachet::cache
