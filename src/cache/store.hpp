#pragma once
// The store: shared by all workers, split into shards (a power of two). Each shard has a
// mutex held only for a lookup, an insert or an erase (never across I/O), a hash table
// and an intrusive LRU list. The byte budget is split evenly between shards.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "cache/entry.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class Shard;

struct StoreStats {
    std::size_t entries = 0;
    std::size_t bytes = 0;        // charged bytes (jemalloc size classes)
    std::uint64_t evictions = 0;  // dropped for the budget
    std::uint64_t expirations = 0;
};

class Store {
public:
    struct Options {
        std::size_t budget_bytes = 256u << 20;
        std::size_t shard_count = 64;   // rounded up to a power of two
    };
    explicit Store(Options options);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // The entry stored under exactly this key (full key compared, not just the hash),
    // or null. An entry past keep_until is dropped and not returned.
    EntryRef lookup(std::string_view key, std::uint64_t hash, Seconds now);
    // Stores the entry, replacing any entry with the same key; evicts least recently used
    // entries of the shard until its budget holds. An entry larger than a shard's budget
    // is not stored (returns false).
    bool insert(EntryRef entry, Seconds now);
    bool erase(std::string_view key, std::uint64_t hash);
    StoreStats stats() const;
    std::size_t shard_count() const noexcept { return shard_count_; }

private:
    Shard& shard_for(std::uint64_t hash) noexcept;
    std::size_t shard_count_;
    std::unique_ptr<Shard[]> shards_;
};

}  // namespace cachet::cache
