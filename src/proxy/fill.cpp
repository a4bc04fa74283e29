#include "proxy/fill.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace cachet::proxy {
namespace {

// Chunk sizes: a declared small body gets one exact chunk; streams grow in 64 KiB steps.
constexpr std::size_t kStreamChunk = 64 * 1024;
constexpr std::size_t kMaxExactChunk = 256 * 1024;

}  // namespace

FillRef Fill::create(std::string key, std::uint64_t hash, unsigned worker_count,
                     unsigned origin_worker, Notifier& notifier, bool coalesced) {
    return FillRef::adopt(
        new Fill(std::move(key), hash, worker_count, origin_worker, notifier, coalesced));
}

Fill::Fill(std::string key, std::uint64_t hash, unsigned worker_count, unsigned origin_worker,
           Notifier& notifier, bool coalesced)
    : key_(std::move(key)),
      hash_(hash),
      origin_worker_(origin_worker),
      coalesced_(coalesced),
      notifier_(notifier),
      worker_count_(worker_count),
      workers_(std::make_unique<PerWorker[]>(worker_count)) {}

Fill::~Fill() = default;

void Fill::publish_head(FillHead head) {
    {
        std::lock_guard lock(mutex_);
        assert(state_ == State::waiting);
        head_ = std::move(head);
        // A fill without a key is never stored, whatever its head says: a collected one's
        // verdict is for the parts its caller stores (OriginRequest::collected), and the
        // fill's bytes go as a pass-through's do (no size cap, chunks released).
        storable_ = head_.verdict == cache::NotStored::stored && !key_.empty();
        // Waiters may share a stored response served in the origin's stead (a revalidated
        // or stale-if-error one); anything else not storable is theirs to fetch alone.
        if (!storable_ && !head_.revalidation) released_ = true;
        state_ = State::streaming;
    }
    notify_all();
}

void Fill::append(const char* data, std::size_t size) {
    if (size == 0) return;
    {
        std::lock_guard lock(mutex_);
        while (size > 0) {
            if (chunks_.empty() || chunks_.back().size == chunks_.back().capacity) {
                std::size_t capacity = kStreamChunk;
                if (chunks_.empty() && head_.content_length && *head_.content_length > 0 &&
                    *head_.content_length <= kMaxExactChunk) {
                    capacity = static_cast<std::size_t>(*head_.content_length);
                }
                chunks_.push_back(
                    Chunk{capacity, 0, std::make_unique_for_overwrite<char[]>(capacity)});
            }
            Chunk& chunk = chunks_.back();
            std::size_t n = std::min(size, chunk.capacity - chunk.size);
            std::memcpy(chunk.bytes.get() + chunk.size, data, n);
            chunk.size += n;
            body_size_ += n;
            data += n;
            size -= n;
        }
    }
    notify_all();
}

void Fill::refuse_storage(cache::NotStored reason) {
    {
        std::lock_guard lock(mutex_);
        if (!storable_) return;
        storable_ = false;
        released_ = true;
        head_.verdict = reason;
    }
    notify_all();
}

void Fill::complete(cache::EntryRef entry) {
    {
        std::lock_guard lock(mutex_);
        entry_ = std::move(entry);
        state_ = State::complete;
    }
    notify_all();
}

void Fill::fail(Errc error) {
    {
        std::lock_guard lock(mutex_);
        if (state_ == State::complete || state_ == State::failed) return;
        error_ = error;
        if (state_ == State::waiting) released_ = true;
        state_ = State::failed;
    }
    notify_all();
}

bool Fill::storable() const {
    std::lock_guard lock(mutex_);
    return storable_;
}

std::uint64_t Fill::body_size() const {
    std::lock_guard lock(mutex_);
    return body_size_;
}

Fill::Snapshot Fill::snapshot() const {
    std::lock_guard lock(mutex_);
    return Snapshot{state_, error_, body_size_, released_};
}

cache::EntryRef Fill::entry() const {
    std::lock_guard lock(mutex_);
    return entry_;
}

void Fill::body_slices(std::uint64_t from, std::uint64_t to, std::vector<Slice>& out) const {
    std::lock_guard lock(mutex_);
    assert(from >= released_bytes_ && "those bytes were released by the only subscriber");
    to = std::min(to, body_size_);
    std::uint64_t offset = released_bytes_;
    for (std::size_t i = first_chunk_; i < chunks_.size(); ++i) {
        const Chunk& chunk = chunks_[i];
        if (from >= to) break;
        std::uint64_t end = offset + chunk.size;
        if (from < end) {
            std::size_t start = static_cast<std::size_t>(from - offset);
            std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(to, end) - from);
            out.push_back(Slice{chunk.bytes.get() + start, n});
            from += n;
        }
        offset = end;
    }
}

std::uint64_t Fill::released_bytes() const {
    std::lock_guard lock(mutex_);
    return released_bytes_;
}

void Fill::release_through(std::uint64_t offset) {
    std::lock_guard lock(mutex_);
    // A storable fill needs every byte for its entry; with another subscriber, that one may
    // still need them. The last chunk stays: append() writes into it.
    if (storable_ || subscribers_.load(std::memory_order_relaxed) > 1) return;
    while (chunks_.size() - first_chunk_ > 1 &&
           released_bytes_ + chunks_[first_chunk_].size <= offset) {
        released_bytes_ += chunks_[first_chunk_].size;
        chunks_[first_chunk_++].bytes.reset();
    }
    // Forget the released slots now and then, so an endless stream keeps a short list.
    if (first_chunk_ >= 64 && first_chunk_ * 2 >= chunks_.size()) {
        chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(first_chunk_));
        first_chunk_ = 0;
    }
}

void Fill::subscribe(unsigned worker, FillSubscriber& subscriber) {
    PerWorker& w = workers_[worker];
    subscriber.prev_ = nullptr;
    subscriber.next_ = w.head;
    if (w.head) w.head->prev_ = &subscriber;
    w.head = &subscriber;
    subscribers_.fetch_add(1, std::memory_order_relaxed);
    // Set before the subscriber's first pull: any progress after this point notifies us.
    w.subscribed.store(true, std::memory_order_seq_cst);
}

void Fill::unsubscribe(unsigned worker, FillSubscriber& subscriber) {
    PerWorker& w = workers_[worker];
    if (subscriber.prev_)
        subscriber.prev_->next_ = subscriber.next_;
    else if (w.head == &subscriber)
        w.head = subscriber.next_;
    if (subscriber.next_) subscriber.next_->prev_ = subscriber.prev_;
    subscriber.next_ = subscriber.prev_ = nullptr;
    subscribers_.fetch_sub(1, std::memory_order_relaxed);
}

void Fill::deliver(unsigned worker) {
    PerWorker& w = workers_[worker];
    w.pending.store(false, std::memory_order_seq_cst);
    // A subscriber may unsubscribe itself while it runs; read its successor first.
    for (FillSubscriber* s = w.head; s != nullptr;) {
        FillSubscriber* next = s->next_;
        s->on_fill_progress();
        s = next;
    }
}

void Fill::notify_all() {
    for (unsigned w = 0; w < worker_count_; ++w) {
        PerWorker& pw = workers_[w];
        if (!pw.subscribed.load(std::memory_order_seq_cst)) continue;
        if (pw.pending.exchange(true, std::memory_order_seq_cst)) continue;
        notifier_.notify(w, FillRef::share(this));
    }
}

}  // namespace cachet::proxy
