#pragma once
// The store's byte budget, one for all shards rather than split between them: one object
// may be tens of MiB, more than any even share of a shard. Shards add an entry's charge
// when they link it and take it back when they unlink it, each under its own lock; the
// total is an atomic so that no lock covers two shards.
#include <atomic>
#include <cstddef>

namespace cachet::cache {

struct Budget {
    std::size_t limit = 0;                // bytes
    std::atomic<std::size_t> charged{0};  // bytes, sum of linked entries' charges
    // The shared head blocks' bytes (cache/shared_head.hpp), counted by their table. They
    // leave with the last entry using them, so evicting entries frees them too.
    const std::atomic<std::size_t>* shared = nullptr;
    std::size_t total() const noexcept {
        std::size_t bytes = charged.load(std::memory_order_relaxed);
        return shared != nullptr ? bytes + shared->load(std::memory_order_relaxed) : bytes;
    }
    bool exceeded() const noexcept { return total() > limit; }
};

}  // namespace cachet::cache
