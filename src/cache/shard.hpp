#pragma once
// One shard of the store: a mutex, an open hash table of intrusive chains and an intrusive
// LRU list, over the entries whose hash selects this shard.
//
// Invariants:
// - mutex_ guards every member below it and, in each linked entry, lru_prev_, lru_next_,
//   bucket_next_ and promoted_at_. Functions named `..._locked` expect the caller to hold it.
// - A linked entry is in exactly one bucket chain and in the LRU list, and the shard holds
//   one reference to it (the store's own). Unlinking moves that reference onto a local list
//   that is released only after the mutex is unlocked, so freeing a large body never
//   stalls the shard.
// - Readers get their own reference (taken under the mutex), so eviction never frees bytes
//   a reader still uses.
// - bytes_ is the sum of linked entries' charges; the same amounts are added to and taken
//   from the store-wide Budget, whose total is therefore the sum over shards.
// - index_ holds exactly the linked entries (and the tags they were linked with): link_locked
//   adds, unlink_locked removes, so insert, erase, eviction and expiry all keep it. Lookups
//   never read it. Its bytes are reported (StoreStats::index_bytes), not charged to the
//   Budget, like the bucket arrays.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "cache/budget.hpp"
#include "cache/entry.hpp"
#include "cache/purge.hpp"
#include "cache/purge_index.hpp"
#include "cache/store.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class alignas(64) Shard {
public:
    Shard();
    ~Shard();
    Shard(const Shard&) = delete;
    Shard& operator=(const Shard&) = delete;

    // A new reference to the entry stored under exactly this key, or null. An entry past
    // keep_until is dropped instead (an expiration).
    EntryRef lookup(std::string_view key, std::uint64_t hash, Seconds now, Budget& budget);
    // Links the entry (the store's reference), dropping one with the same key, then evicts
    // from this shard's LRU tail while the budget is exceeded, never the entry just linked.
    // A partial entry never replaces a complete one still in its keep_until (RFC 9111 §3.3:
    // the complete response answers every range the partial one could): returns false and
    // keeps the stored one.
    // `tags`: what the response was tagged with (cache/purge_index.hpp), for tag purges.
    bool insert(EntryRef entry, Seconds now, Budget& budget,
                std::span<const std::string_view> tags = {});
    // Evicts from the LRU tail while the budget is exceeded (or the shard is empty), for an
    // insert into another shard.
    void evict(Budget& budget);
    bool erase(std::string_view key, std::uint64_t hash, Budget& budget);
    // Drops (or, soft, expires at `now`) the entries that `match` selects; returns how many:
    // vary markers are counted when dropped, and never expired (they are never served).
    std::size_t purge(const PurgeMatch& match, Seconds now, Budget& budget);
    // This shard's share of the store's stats.
    StoreStats stats() const;
    // A reference to each linked entry, least recently used first (a store loaded in this
    // order ends with the same recency), taken under the lock: what a save writes.
    void collect(std::vector<EntryRef>& out) const;

private:
    Entry* find_locked(std::string_view key, std::uint64_t hash) const noexcept;
    void link_locked(Entry* e, Seconds now, Budget& budget, std::span<const std::string_view> tags);
    // Removes e from its chain and the LRU list; the store's reference passes to `dropped`.
    void unlink_locked(Entry* e, Budget& budget, Entry*& dropped) noexcept;
    void promote_locked(Entry* e, Seconds now) noexcept;
    void grow_locked();
    Entry** bucket_locked(std::uint64_t hash) const noexcept {
        return &buckets_[hash & (bucket_count_ - 1)];
    }
    // Releases the store's references of a chain built by unlink_locked (mutex not held).
    static void release_all(Entry* dropped) noexcept;

    mutable std::mutex mutex_;
    std::unique_ptr<Entry*[]> buckets_;  // chains through Entry::bucket_next_
    std::size_t bucket_count_ = 0;       // a power of two
    std::size_t entries_ = 0;
    std::size_t bytes_ = 0;      // charged bytes of linked entries
    Entry* lru_head_ = nullptr;  // most recently used
    Entry* lru_tail_ = nullptr;  // next to evict
    std::uint64_t evictions_ = 0;
    std::uint64_t expirations_ = 0;
    PurgeIndex index_;
};

}  // namespace cachet::cache
