#pragma once
// A cached response: a fixed header, the key and the entry's own head lines in one
// allocation; the head lines many entries repeat in a shared block (cache/shared_head.hpp);
// the body in an allocation of its own, of exactly its size, so that the allocator's
// rounding applies to the small part only. Immutable once sealed (inserted); shared by the
// store and by in-progress client writes through an atomic reference count, so eviction
// never frees bytes being written.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "cache/shared_head.hpp"
#include "util/intrusive_ptr.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class Entry;
using EntryRef = IntrusivePtr<Entry>;

// What the policy decided about a response when it was stored (RFC 9111 §4.2).
struct Freshness {
    Seconds response_time = 0;  // when the response was received (seconds, epoch)
    Seconds initial_age = 0;    // corrected_initial_age (RFC 9111 §4.2.3)
    Seconds lifetime = 0;       // freshness_lifetime (RFC 9111 §4.2.1)
    Seconds keep_until = 0;     // the store may drop the entry from this time on
};

// How a stale entry may still be used, from its response's directives.
struct StaleRules {
    std::uint32_t while_revalidate = 0;  // seconds past freshness (RFC 5861 §3)
    std::uint32_t if_error = 0;          // seconds past freshness (RFC 5861 §4)
    bool must_revalidate = false;        // must-revalidate, proxy-revalidate, s-maxage or an
                                         // unqualified no-cache: never served stale
    bool has_validators = false;         // ETag or Last-Modified: a 304 can refresh it
};

// A stored head in two parts: written out as shared then own, it is the status line and
// the field lines, each ending CRLF, without the final empty line.
struct StoredHead {
    std::string_view shared;   // the status line and the shared fields, or empty
    std::string_view own;      // the entry's own lines (all of them when `shared` is empty)
    std::string text() const;  // both parts joined (a copy: for the miss and derived paths)
};

class Entry {
public:
    struct Spec {
        std::string_view key;       // the full normalised key (copied into the entry)
        std::uint64_t hash = 0;     // XXH3 of key
        std::string_view head;      // status line + header lines, each ending CRLF, without
                                    // the final empty line (copied into the entry)
        std::size_t body_size = 0;  // bytes, at most max_body_size; filled through
                                    // body_data() before insert
        int status = 200;
        Freshness freshness;
        StaleRules stale;
        // A URL's vary marker (cache/variants.hpp): its head lists the Vary names, it has no
        // body and is never served; the variants are stored under their own keys.
        bool vary_marker = false;
    };

    // Entry bodies are sized in 32 bits (--max-object-size is capped to it).
    static constexpr std::size_t max_body_size = std::numeric_limits<std::uint32_t>::max();

    // Allocates the entry, keeping its whole head; the body is left for the caller to fill.
    // Returns a reference the caller owns (count 1).
    static EntryRef create(const Spec& spec);
    // The same, with the head's shared lines (cache/head_split.hpp) interned in `shared`.
    static EntryRef create(const Spec& spec, SharedHeads& shared);

    std::string_view key() const noexcept;
    StoredHead head() const noexcept;
    std::string_view body() const noexcept;
    char* body_data() noexcept;  // only before the entry is inserted into the store
    std::uint64_t hash() const noexcept { return hash_; }
    int status() const noexcept { return status_; }
    bool is_vary_marker() const noexcept { return vary_marker_; }
    // A stored 206 (cache/partial_content.hpp): only some bytes of its representation,
    // which may answer a Range inside them and nothing else.
    bool is_partial() const noexcept { return status_ == 206; }
    Freshness freshness() const noexcept {
        return {response_time_, initial_age_, lifetime(), keep_until_};
    }
    const StaleRules& stale_rules() const noexcept { return stale_; }
    // Seconds past the end of freshness (0 while fresh).
    Seconds staleness(Seconds now) const noexcept {
        Seconds over = age(now) - lifetime();
        return over > 0 ? over : 0;
    }
    // Bytes this entry costs the budget: its allocations' size classes (the shared head
    // block is counted by its table).
    std::size_t charge() const noexcept;

    // current_age (RFC 9111 §4.2.3), never negative.
    Seconds age(Seconds now) const noexcept {
        Seconds resident = now - Seconds{response_time_};
        return Seconds{initial_age_} + (resident > 0 ? resident : 0);
    }
    bool fresh(Seconds now) const noexcept { return lifetime() > age(now); }

    // A soft purge (cache/purge.hpp): the freshness lifetime ends at `now` (RFC 9111 §4.2.1:
    // current_age = lifetime from then on), so the entry is stale from `now` with its
    // stale-while-revalidate / stale-if-error windows counted from `now`, its validators
    // kept. It only ever shortens the lifetime (an entry already stale stays as it is).
    // Safe while other threads read the entry: see lifetime_.
    void expire(Seconds now) noexcept;

    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(this);
    }

private:
    friend class Shard;  // intrusive links are guarded by the shard's lock
    Entry() = default;
    ~Entry() = default;
    static EntryRef allocate(const Spec& spec, std::string_view own_head, SharedHeadRef shared);
    static void destroy(Entry* e) noexcept;
    Seconds lifetime() const noexcept { return Seconds{lifetime_.load(std::memory_order_relaxed)}; }
    static std::uint32_t stored_seconds(Seconds s) noexcept {
        constexpr Seconds last = std::numeric_limits<std::uint32_t>::max();
        return static_cast<std::uint32_t>(s < 0 ? 0 : s > last ? last : s);
    }

    // 96 bytes. Times are seconds since the epoch in 32 bits (unsigned: good until 2106),
    // saturated when stored. The first cache line holds what a lookup reads: the chain
    // walk (hash_, bucket_next_, key_size_), the expiry check, the promotion check, the
    // count and the LRU links.
    std::atomic<std::uint32_t> refs_{1};
    std::uint16_t key_size_ = 0;
    std::uint16_t status_ : 15 = 0;
    std::uint16_t vary_marker_ : 1 = 0;
    std::uint64_t hash_ = 0;
    Entry* bucket_next_ = nullptr;  // shard-owned, guarded by the shard's mutex
    std::uint32_t response_time_ = 0;
    std::uint32_t initial_age_ = 0;
    // The one field of a sealed entry that changes: a soft purge shortens it (expire()).
    // An atomic rather than a copy of the entry marked stale, so a soft purge of 100,000
    // entries allocates and copies nothing, and readers holding the entry (a hit being
    // written, a stale stand-in) see it without a lock. Relaxed: it orders nothing else,
    // and a relaxed 32-bit load is the same plain `mov` as before on x86-64 and AArch64,
    // so fresh() on the hit path costs what it did.
    std::atomic<std::uint32_t> lifetime_{0};
    std::uint32_t keep_until_ = 0;
    std::uint32_t promoted_at_ = 0;  // shard-owned: last LRU promotion (rate-limited)
    std::uint32_t own_head_size_ = 0;
    Entry* lru_prev_ = nullptr;  // shard-owned, guarded by the shard's mutex
    Entry* lru_next_ = nullptr;
    // Read when writing a hit:
    SharedHeadRef shared_head_;
    char* body_ = nullptr;  // owned: its own allocation, freed with the entry
    std::uint32_t body_size_ = 0;
    StaleRules stale_;
    // followed in the same allocation by: key bytes, own head bytes
};

}  // namespace cachet::cache
