#pragma once
// The store: shared by all workers, split into shards (a power of two). Each shard has a
// mutex held only for a lookup, an insert or an erase (never across I/O), a hash table
// and an intrusive LRU list. The byte budget is global, not split between shards (one
// object may be tens of MiB): an insert evicts from its own shard's LRU tail first, then
// from the other shards in turn, holding one shard lock at a time, never two.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cache/budget.hpp"
#include "cache/entry.hpp"
#include "cache/purge.hpp"
#include "cache/shared_head.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class Shard;

struct StoreStats {
    std::size_t entries = 0;
    std::size_t bytes = 0;        // charged bytes (jemalloc size classes)
    std::uint64_t evictions = 0;  // dropped for the budget
    std::uint64_t expirations = 0;
    std::size_t table_bytes = 0;  // bucket arrays; not charged to the budget
    std::size_t index_bytes = 0;  // purge indexes (cache/purge_index.hpp); not charged
    std::size_t shared_head_blocks = 0;
    std::size_t shared_head_bytes = 0;  // charged to the budget
};

class Store {
public:
    struct Options {
        std::size_t budget_bytes = 256u << 20;
        std::size_t shard_count = 64;  // rounded up to a power of two
        // Response fields whose values tag an entry for purges (--purge-tag-header).
        std::vector<std::string> tag_headers{"Surrogate-Key"};
    };
    explicit Store(Options options);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // The entry stored under exactly this key (full key compared, not just the hash),
    // or null. An entry past keep_until is dropped and not returned.
    EntryRef lookup(std::string_view key, std::uint64_t hash, Seconds now);
    // Stores the entry, replacing any entry with the same key; evicts least recently used
    // entries (of its own shard first, then of the others) until the budget holds. An
    // entry larger than the whole budget is not stored (returns false); a same-key entry
    // stays stored then. A partial entry (a 206) does not replace a complete one either
    // (returns false).
    bool insert(EntryRef entry, Seconds now);
    bool erase(std::string_view key, std::uint64_t hash);
    // Drops the entries `match` selects, or with match.soft ends their freshness at `now`
    // (cache/purge.hpp), one shard lock at a time. Returns how many entries were dropped
    // (vary markers included) or expired (markers are not: they are never served).
    std::size_t purge(const PurgeMatch& match, Seconds now);
    // Where entries made for this store keep their shared head lines:
    // Entry::create(spec, store.shared_heads()).
    SharedHeads& shared_heads() noexcept { return *shared_heads_; }
    StoreStats stats() const;
    // The entries of shard `index` (< shard_count()), least recently used first, each
    // referenced: one shard lock at a time, so a save never stops the others serving.
    void collect_shard(std::size_t index, std::vector<EntryRef>& out) const;
    std::size_t shard_count() const noexcept { return shard_count_; }

private:
    Shard& shard_for(std::uint64_t hash) noexcept;
    std::size_t shard_index(std::uint64_t hash) const noexcept;

    std::vector<std::string> tag_headers_;
    std::size_t shard_count_;
    unsigned shard_shift_;  // the shard is the hash's top bits; buckets use the low bits
    std::unique_ptr<Shard[]> shards_;
    std::shared_ptr<SharedHeads>
        shared_heads_;           // shared with its blocks, which may outlive the store
    alignas(64) Budget budget_;  // written by every insert: kept off the shards_ line
};

}  // namespace cachet::cache
