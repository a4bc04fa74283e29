#pragma once
// Coalescing of concurrent misses: the first miss for a key creates a Fill and fetches;
// later misses for the same key, on any worker, join it as waiters. Shared by all workers,
// sharded by key hash; a shard's mutex is held only to find, add or remove a fill.
// A fill leaves the table only through the LeaderPermit its leader got from join()
// (withdraw, complete, fail, or the permit's end), so no path can forget to free waiters.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "proxy/fill.hpp"
#include "proxy/leader_permit.hpp"

namespace cachet::proxy {

class InflightTable {
public:
    InflightTable(unsigned worker_count, unsigned max_waiters, Notifier& notifier);

    enum class Role : std::uint8_t { leader, waiter, alone };
    struct Joined {
        Role role;
        FillRef fill;         // the fill to stream (leader, waiter); null for `alone`: the
                              // caller fetches privately
        LeaderPermit permit;  // the leader's claim on the fill; empty unless `leader`
    };
    // Finds the fill for the key or creates one led by `worker`. Returns `alone` when the
    // key already has max_waiters waiters.
    Joined join(std::string_view key, std::uint64_t hash, unsigned worker);

private:
    friend class LeaderPermit;
    // Removes the fill if it is still the one registered for its key (idempotent). Only a
    // LeaderPermit calls it.
    void remove(const Fill& fill);

    struct Shard {
        std::mutex mutex;
        // hash -> fill; full keys compared on lookup, collisions chain in the multimap.
        std::unordered_multimap<std::uint64_t, FillRef> fills;
        std::unordered_map<const Fill*, unsigned> waiters;
    };
    Shard& shard_for(std::uint64_t hash) noexcept { return shards_[hash & (kShards - 1)]; }

    static constexpr std::size_t kShards = 64;
    const unsigned worker_count_;
    const unsigned max_waiters_;
    Notifier& notifier_;
    std::unique_ptr<Shard[]> shards_;
};

}  // namespace cachet::proxy
