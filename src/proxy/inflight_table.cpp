#include "proxy/inflight_table.hpp"

#include <string>

namespace cachet::proxy {

InflightTable::InflightTable(unsigned worker_count, unsigned max_waiters, Notifier& notifier)
    : worker_count_(worker_count),
      max_waiters_(max_waiters),
      notifier_(notifier),
      shards_(std::make_unique<Shard[]>(kShards)) {}

InflightTable::Joined InflightTable::join(std::string_view key, std::uint64_t hash,
                                          unsigned worker) {
    Shard& shard = shard_for(hash);
    std::lock_guard lock(shard.mutex);
    auto [first, last] = shard.fills.equal_range(hash);
    for (auto it = first; it != last; ++it) {
        const FillRef& fill = it->second;
        if (fill->key() != key) continue;
        unsigned& waiters = shard.waiters[fill.get()];
        if (waiters >= max_waiters_) return Joined{Role::alone, FillRef(), LeaderPermit()};
        ++waiters;
        return Joined{Role::waiter, fill, LeaderPermit()};
    }
    // A miss-path allocation: the fill owns a copy of the key.
    FillRef fill = Fill::create(std::string(key), hash, worker_count_, worker, notifier_, true);
    shard.fills.emplace(hash, fill);
    shard.waiters.emplace(fill.get(), 0);
    return Joined{Role::leader, fill, LeaderPermit(fill, this)};
}

void InflightTable::remove(const Fill& fill) {
    Shard& shard = shard_for(fill.hash());
    std::lock_guard lock(shard.mutex);
    auto [first, last] = shard.fills.equal_range(fill.hash());
    for (auto it = first; it != last; ++it) {
        if (it->second.get() == &fill) {
            shard.waiters.erase(&fill);
            shard.fills.erase(it);
            return;
        }
    }
}

}  // namespace cachet::proxy
