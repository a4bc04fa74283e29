#include "cache/store.hpp"

#include <bit>
#include <utility>

#include "cache/purge_index.hpp"
#include "cache/shard.hpp"

namespace cachet::cache {

namespace {

std::size_t round_shard_count(std::size_t requested) noexcept {
    return std::bit_ceil(requested == 0 ? std::size_t{1} : requested);
}

}  // namespace

Store::Store(Options options)
    : tag_headers_(std::move(options.tag_headers)),
      shard_count_(round_shard_count(options.shard_count)),
      // A shift of 64 would be undefined; one shard is handled in shard_index instead.
      shard_shift_(64 - static_cast<unsigned>(std::countr_zero(shard_count_))),
      shards_(new Shard[shard_count_]),
      shared_heads_(SharedHeads::create()) {
    budget_.limit = options.budget_bytes;
    budget_.shared = &shared_heads_->charged();
}

Store::~Store() = default;

std::size_t Store::shard_index(std::uint64_t hash) const noexcept {
    // The top bits choose the shard and the shard's buckets use the low bits, so the entries
    // of one shard still spread over all of its buckets.
    return shard_count_ == 1 ? 0 : static_cast<std::size_t>(hash >> shard_shift_);
}

Shard& Store::shard_for(std::uint64_t hash) noexcept { return shards_[shard_index(hash)]; }

EntryRef Store::lookup(std::string_view key, std::uint64_t hash, Seconds now) {
    return shard_for(hash).lookup(key, hash, now, budget_);
}

bool Store::insert(EntryRef entry, Seconds now) {
    if (!entry || entry->charge() > budget_.limit) return false;

    std::size_t home = shard_index(entry->hash());
    // Read before the shard lock; the views borrow the entry's head, alive while it is.
    std::vector<std::string_view> tags;  // an insert's (miss path) allocation, when tagged
    if (!entry->is_vary_marker()) tags_of_head(entry->head(), tag_headers_, tags);
    const EntryRef keep = tags.empty() ? EntryRef() : entry;  // the views' owner
    if (!shards_[home].insert(std::move(entry), now, budget_, tags)) return false;
    // The home shard evicted all it could (all but the new entry). Take the rest from the
    // other shards in turn; each evict() holds only its own lock. Concurrent inserts may
    // leave the total briefly above the limit, by at most what they are inserting.
    for (std::size_t step = 1; step < shard_count_ && budget_.exceeded(); ++step) {
        shards_[(home + step) & (shard_count_ - 1)].evict(budget_);
    }
    return true;
}

bool Store::erase(std::string_view key, std::uint64_t hash) {
    return shard_for(hash).erase(key, hash, budget_);
}

std::size_t Store::purge(const PurgeMatch& match, Seconds now) {
    std::size_t count = 0;
    // Variants live in the shards of their own keys and tags in every shard: each shard
    // answers from its index, so a purge costs a few seeks per shard and its matches.
    for (std::size_t i = 0; i < shard_count_; ++i) count += shards_[i].purge(match, now, budget_);
    return count;
}

void Store::collect_shard(std::size_t index, std::vector<EntryRef>& out) const {
    shards_[index].collect(out);
}

StoreStats Store::stats() const {
    StoreStats total;
    for (std::size_t i = 0; i < shard_count_; ++i) {
        StoreStats s = shards_[i].stats();  // one shard lock at a time
        total.entries += s.entries;
        total.bytes += s.bytes;
        total.evictions += s.evictions;
        total.expirations += s.expirations;
        total.table_bytes += s.table_bytes;
        total.index_bytes += s.index_bytes;
    }
    total.shared_head_blocks = shared_heads_->count();
    total.shared_head_bytes = shared_heads_->charged().load(std::memory_order_relaxed);
    return total;
}

}  // namespace cachet::cache
