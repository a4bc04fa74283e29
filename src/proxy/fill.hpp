#pragma once
// A Fill is one origin response on its way in: the origin side (one worker) appends the
// head and body; subscribers (client exchanges on any worker) stream it out as it arrives.
// Concurrent misses for one key share a Fill through the InflightTable (coalescing).
//
// Threads and invariants:
// - mutex_ guards state_, error_, body_size_, chunks_, storable_, released_, entry_.
// - head_ is written once, before state_ leaves `waiting`, and is immutable after: a reader
//   that saw state_ != waiting under the lock may read it without the lock.
// - Body bytes below body_size_ are immutable once published; chunks never move or shrink,
//   so writes point straight into them (zero copy) while holding a FillRef. A storable fill
//   keeps every chunk (the entry is copied from them); one that will not be stored, with
//   one subscriber left, drops the chunks whose writes have completed (release_through),
//   so a long pass-through response costs what is in flight, not its whole length.
// - workers_[w].subscribers is touched only by worker w's thread. The origin side wakes
//   worker w through Notifier (one post per burst, deduplicated by `pending`).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cache/entry.hpp"
#include "cache/policy.hpp"
#include "util/errc.hpp"
#include "util/intrusive_ptr.hpp"
#include "util/time.hpp"

namespace cachet::proxy {

class Fill;
using FillRef = IntrusivePtr<Fill>;

// Wakes a worker to let its subscribers pull new bytes from a fill.
class Notifier {
public:
    // Called on the fill's origin worker's thread only.
    virtual void notify(unsigned worker, FillRef fill) = 0;

protected:
    ~Notifier() = default;
};

// The response head as clients see it, built once by the origin side.
struct FillHead {
    int status = 0;
    std::string client_head;  // status line + end-to-end headers + Via, each CRLF-ended;
                              // no framing, Age, Cache-Status or Connection
    std::optional<std::uint64_t> content_length;  // body length when the origin declared one
    bool bodyless = false;                        // HEAD request, 1xx/204/304: no body follows
    std::string origin_content_length;  // for bodyless responses: the origin's value, if any
    cache::NotStored verdict = cache::NotStored::stored;
    cache::Freshness freshness;
    cache::StaleRules stale;
    // How the response came about, for Cache-Status (RFC 9211 §2.2): `fwd=stale` when a
    // stored response was being revalidated; origin_status is what the origin answered
    // (304 for a revalidation, 5xx when a stale response stood in for an error).
    bool revalidation = false;
    // A stored response was stale and the origin answered anew (a 200 to the conditional
    // request, or a refetch): also `fwd=stale` (RFC 9211 §2.2.2: the cache had a stale
    // response), without the waiter-keeping meaning of `revalidation`.
    bool replaced_stale = false;
    int origin_status = 0;
    std::string_view detail;  // static text, e.g. "stale-if-error"
    // RFC 9111 §4.1: the response carries Vary (names in client_head's Vary lines) and is
    // (or was) stored as the variant for secondary_key, the key of the leader's request. A
    // waiter whose own request has another secondary key must not be given it.
    bool varies = false;
    std::string secondary_key;
    // A route's strip_set_cookie applies: the entry is made without the Set-Cookie lines
    // the client that fetched the response got.
    bool strip_set_cookie = false;
};

// One subscriber of a fill on one worker (an intrusive list node owned by the subscriber).
class FillSubscriber {
public:
    virtual void on_fill_progress() = 0;
    FillSubscriber* next_ = nullptr;
    FillSubscriber* prev_ = nullptr;

protected:
    ~FillSubscriber() = default;
};

class Fill {
public:
    enum class State : std::uint8_t { waiting, streaming, complete, failed };

    struct Snapshot {
        State state = State::waiting;
        Errc error = Errc::origin_bad_response;
        std::uint64_t body_size = 0;
        bool released = false;  // waiters must fetch on their own (not storable / failed early)
    };

    // `key` is the cache key the response is stored under, empty when it must not be
    // stored: the URL's primary key, or one of its variant keys (cache/variants.hpp) when
    // the URL's Vary names were known at the miss; the response's own Vary decides the key
    // it is finally stored under. `coalesced`: registered in the InflightTable under `key`,
    // other misses may join it.
    static FillRef create(std::string key, std::uint64_t hash, unsigned worker_count,
                          unsigned origin_worker, Notifier& notifier, bool coalesced);

    const std::string& key() const noexcept { return key_; }
    std::uint64_t hash() const noexcept { return hash_; }
    bool is_coalesced() const noexcept { return coalesced_; }
    bool has_key() const noexcept { return !key_.empty(); }
    unsigned origin_worker() const noexcept { return origin_worker_; }

    // A stale stored response this fill revalidates (If-None-Match / If-Modified-Since)
    // and may fall back on (stale-if-error). Set by the leader before the fetch starts and
    // read only by the origin side, both on origin_worker's thread.
    void set_stale(cache::EntryRef entry) noexcept { stale_ = std::move(entry); }
    const cache::EntryRef& stale() const noexcept { return stale_; }

    // --- origin side (origin_worker's thread only) ---
    void publish_head(FillHead head);
    void append(const char* data, std::size_t size);
    // Stops the fill from being stored (e.g. it grew past the object limit); waiters that
    // have no head yet are released.
    void refuse_storage(cache::NotStored reason);
    // The body ended completely. Returns the body bytes (copied into one entry by the
    // caller when storable) via for_each_chunk before calling complete().
    void complete(cache::EntryRef entry);
    void fail(Errc error);
    bool storable() const;
    std::uint64_t body_size() const;

    // --- subscriber side (any worker, on its own thread) ---
    Snapshot snapshot() const;
    const FillHead& head() const noexcept { return head_; }  // only after state != waiting
    cache::EntryRef entry() const;
    // Body bytes [from, to) as pointers into chunks; valid while a FillRef is held and
    // until release_through passes them. `from` is never below what it dropped.
    struct Slice {
        const char* data;
        std::size_t size;
    };
    void body_slices(std::uint64_t from, std::uint64_t to, std::vector<Slice>& out) const;
    // The writes of the bytes below `offset` have completed (the caller is the subscriber
    // that wrote them): when the fill will not be stored and has no other subscriber, the
    // chunks wholly below `offset` are dropped.
    void release_through(std::uint64_t offset);
    std::uint64_t released_bytes() const;  // body bytes dropped so far
    void subscribe(unsigned worker, FillSubscriber& subscriber);
    void unsubscribe(unsigned worker, FillSubscriber& subscriber);
    std::size_t subscriber_count() const noexcept {
        return subscribers_.load(std::memory_order_relaxed);
    }
    // Runs every subscriber of `worker` (called on that worker when notified).
    void deliver(unsigned worker);

    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

private:
    Fill(std::string key, std::uint64_t hash, unsigned worker_count, unsigned origin_worker,
         Notifier& notifier, bool coalesced);
    ~Fill();
    void notify_all();

    struct Chunk {
        std::size_t capacity;
        std::size_t size;
        std::unique_ptr<char[]> bytes;
    };
    struct PerWorker {
        std::atomic<bool> subscribed{false};
        std::atomic<bool> pending{false};
        FillSubscriber* head = nullptr;  // worker's thread only
    };

    std::atomic<std::uint32_t> refs_{1};
    std::atomic<std::size_t> subscribers_{0};
    const std::string key_;
    const std::uint64_t hash_;
    const unsigned origin_worker_;
    const bool coalesced_;
    Notifier& notifier_;
    const unsigned worker_count_;
    std::unique_ptr<PerWorker[]> workers_;

    FillHead head_;
    cache::EntryRef stale_;
    mutable std::mutex mutex_;
    State state_ = State::waiting;
    Errc error_ = Errc::origin_bad_response;
    bool released_ = false;
    bool storable_ = true;
    std::uint64_t body_size_ = 0;
    std::vector<Chunk> chunks_;  // [first_chunk_, end) hold bytes; before: released
    std::size_t first_chunk_ = 0;
    std::uint64_t released_bytes_ = 0;  // body offset of chunks_[first_chunk_]
    cache::EntryRef entry_;
};

}  // namespace cachet::proxy
