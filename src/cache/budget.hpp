#pragma once
// The store's byte budget, one for all shards rather than split between them: one object
// may be tens of MiB, more than any even share of a shard. Shards add an entry's charge
// when they link it and take it back when they unlink it, each under its own lock; the
// total is an atomic so that no lock covers two shards.
#include <atomic>
#include <cstddef>

namespace cachet::cache {

struct Budget {
    std::size_t limit = 0;                 // bytes
    std::atomic<std::size_t> charged{0};   // bytes, sum of linked entries' charges
    bool exceeded() const noexcept { return charged.load(std::memory_order_relaxed) > limit; }
};

}  // namespace cachet::cache
