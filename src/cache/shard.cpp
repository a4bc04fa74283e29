#include "cache/shard.hpp"

#include <cassert>
#include <utility>

namespace cachet::cache {

namespace {

// Small: a store has many shards, most of them grow anyway.
constexpr std::size_t initial_bucket_count = 16;
// A hot key moves to the LRU front at most once per this many seconds, so a burst of hits
// on one entry reads the list instead of rewriting it under the lock each time.
constexpr Seconds promotion_interval = 1;

}  // namespace

Shard::Shard()
    : buckets_(new Entry*[initial_bucket_count]()), bucket_count_(initial_bucket_count) {}

Shard::~Shard() {
    // The store is going away: nobody else can reach these links any more.
    Entry* e = lru_head_;
    while (e != nullptr) {
        Entry* next = e->lru_next_;
        e->release();
        e = next;
    }
}

EntryRef Shard::lookup(std::string_view key, std::uint64_t hash, Seconds now, Budget& budget) {
    Entry* dropped = nullptr;
    {
        std::lock_guard lock(mutex_);
        Entry* e = find_locked(key, hash);
        if (e == nullptr) return {};
        if (now < Seconds{e->keep_until_}) {
            promote_locked(e, now);
            return EntryRef::share(e);
        }
        unlink_locked(e, budget, dropped);
        ++expirations_;
    }
    release_all(dropped);
    return {};
}

bool Shard::insert(EntryRef entry, Seconds now, Budget& budget,
                   std::span<const std::string_view> tags) {
    Entry* e = entry.detach();  // becomes the store's reference
    Entry* dropped = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (Entry* old = find_locked(e->key(), e->hash_)) {
            if (old == e) {
                // Inserted twice: it stays linked with the store's reference it already
                // has, so this can never be the last reference.
                e->release();
                return true;
            }
            // Decided under the lock, so a complete entry stored meanwhile is never lost.
            if (e->is_partial() && !old->is_partial() && now < Seconds{old->keep_until_}) {
                e->release();  // the reference detached above: the store takes none
                return false;
            }
            unlink_locked(old, budget, dropped);
        }
        link_locked(e, now, budget, tags);
        while (budget.exceeded() && lru_tail_ != e) {
            unlink_locked(lru_tail_, budget, dropped);
            ++evictions_;
        }
    }
    release_all(dropped);
    return true;
}

void Shard::evict(Budget& budget) {
    Entry* dropped = nullptr;
    {
        std::lock_guard lock(mutex_);
        while (budget.exceeded() && lru_tail_ != nullptr) {
            unlink_locked(lru_tail_, budget, dropped);
            ++evictions_;
        }
    }
    release_all(dropped);
}

bool Shard::erase(std::string_view key, std::uint64_t hash, Budget& budget) {
    Entry* dropped = nullptr;
    {
        std::lock_guard lock(mutex_);
        Entry* e = find_locked(key, hash);
        if (e == nullptr) return false;
        unlink_locked(e, budget, dropped);
    }
    release_all(dropped);
    return true;
}

std::size_t Shard::purge(const PurgeMatch& match, Seconds now, Budget& budget) {
    std::vector<Entry*> matched;  // a purge's allocation, off the request paths
    Entry* dropped = nullptr;
    std::size_t count = 0;
    {
        std::lock_guard lock(mutex_);
        switch (match.by) {
        case PurgeBy::url: index_.match_url(match.url, matched); break;
        case PurgeBy::prefix: index_.match_prefix(match.host, match.prefix, matched); break;
        case PurgeBy::tag: index_.match_tag(match.tag, matched); break;
        }
        for (Entry* e : matched) {
            if (!match.soft) {
                unlink_locked(e, budget, dropped);
                ++count;
            } else if (!e->is_vary_marker()) {
                e->expire(now);
                ++count;
            }
        }
    }
    release_all(dropped);
    return count;
}

void Shard::collect(std::vector<EntryRef>& out) const {
    std::lock_guard lock(mutex_);
    out.reserve(out.size() + entries_);
    for (Entry* e = lru_tail_; e != nullptr; e = e->lru_prev_) {
        out.push_back(EntryRef::share(e));
    }
}

StoreStats Shard::stats() const {
    std::lock_guard lock(mutex_);
    StoreStats s;
    s.entries = entries_;
    s.bytes = bytes_;
    s.evictions = evictions_;
    s.expirations = expirations_;
    s.table_bytes = bucket_count_ * sizeof(Entry*);
    s.index_bytes = index_.bytes();
    return s;
}

Entry* Shard::find_locked(std::string_view key, std::uint64_t hash) const noexcept {
    for (Entry* e = *bucket_locked(hash); e != nullptr; e = e->bucket_next_) {
        // The hash only narrows the search: two keys may share one.
        if (e->hash_ == hash && e->key() == key) return e;
    }
    return nullptr;
}

void Shard::link_locked(Entry* e, Seconds now, Budget& budget,
                        std::span<const std::string_view> tags) {
    if (entries_ >= bucket_count_) grow_locked();

    Entry** bucket = bucket_locked(e->hash_);
    e->bucket_next_ = *bucket;
    *bucket = e;

    e->lru_prev_ = nullptr;
    e->lru_next_ = lru_head_;
    if (lru_head_ != nullptr) lru_head_->lru_prev_ = e;
    lru_head_ = e;
    if (lru_tail_ == nullptr) lru_tail_ = e;
    e->promoted_at_ = Entry::stored_seconds(now);

    const std::size_t charge = e->charge();
    ++entries_;
    bytes_ += charge;
    budget.charged.fetch_add(charge, std::memory_order_relaxed);
    // Under the lock, on the insert (miss) path: a map node, and a membership per tag.
    index_.add(e, tags);
}

void Shard::unlink_locked(Entry* e, Budget& budget, Entry*& dropped) noexcept {
    Entry** link = bucket_locked(e->hash_);
    while (*link != e) {
        assert(*link != nullptr && "a linked entry is in its bucket chain");
        link = &(*link)->bucket_next_;
    }
    *link = e->bucket_next_;

    if (e->lru_prev_ != nullptr) {
        e->lru_prev_->lru_next_ = e->lru_next_;
    } else {
        lru_head_ = e->lru_next_;
    }
    if (e->lru_next_ != nullptr) {
        e->lru_next_->lru_prev_ = e->lru_prev_;
    } else {
        lru_tail_ = e->lru_prev_;
    }
    e->lru_prev_ = nullptr;
    e->lru_next_ = nullptr;

    const std::size_t charge = e->charge();
    --entries_;
    bytes_ -= charge;
    budget.charged.fetch_sub(charge, std::memory_order_relaxed);
    index_.remove(e);

    // Out of its chain, bucket_next_ is free to thread the list of entries to release.
    e->bucket_next_ = dropped;
    dropped = e;
}

void Shard::promote_locked(Entry* e, Seconds now) noexcept {
    if (now - Seconds{e->promoted_at_} < promotion_interval) return;
    e->promoted_at_ = Entry::stored_seconds(now);
    if (e == lru_head_) return;

    // e has a predecessor, so it is not the head.
    e->lru_prev_->lru_next_ = e->lru_next_;
    if (e->lru_next_ != nullptr) {
        e->lru_next_->lru_prev_ = e->lru_prev_;
    } else {
        lru_tail_ = e->lru_prev_;
    }
    e->lru_prev_ = nullptr;
    e->lru_next_ = lru_head_;
    lru_head_->lru_prev_ = e;
    lru_head_ = e;
}

// Doubles the bucket array when the average chain would exceed one entry. This allocates
// under the lock, on the insert (miss) path only, and less often as the shard grows.
void Shard::grow_locked() {
    std::size_t count = bucket_count_ * 2;
    std::unique_ptr<Entry*[]> buckets(new Entry*[count]());
    for (std::size_t i = 0; i < bucket_count_; ++i) {
        Entry* e = buckets_[i];
        while (e != nullptr) {
            Entry* next = e->bucket_next_;
            Entry*& head = buckets[e->hash_ & (count - 1)];
            e->bucket_next_ = head;
            head = e;
            e = next;
        }
    }
    buckets_ = std::move(buckets);
    bucket_count_ = count;
}

void Shard::release_all(Entry* dropped) noexcept {
    while (dropped != nullptr) {
        Entry* next = dropped->bucket_next_;
        dropped->release();
        dropped = next;
    }
}

}  // namespace cachet::cache
