#pragma once
// A cached response: one allocation holding the key, the prebuilt response head and the
// body. Immutable once sealed (inserted); shared by the store and by in-progress client
// writes through an atomic reference count, so eviction never frees bytes being written.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/intrusive_ptr.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class Entry;
using EntryRef = IntrusivePtr<Entry>;

// What the policy decided about a response when it was stored (RFC 9111 §4.2).
struct Freshness {
    Seconds response_time = 0;   // when the response was received (seconds, epoch)
    Seconds initial_age = 0;     // corrected_initial_age (RFC 9111 §4.2.3)
    Seconds lifetime = 0;        // freshness_lifetime (RFC 9111 §4.2.1)
    Seconds keep_until = 0;      // the store may drop the entry from this time on
};

// How a stale entry may still be used, from its response's directives.
struct StaleRules {
    std::uint32_t while_revalidate = 0;   // seconds past freshness (RFC 5861 §3)
    std::uint32_t if_error = 0;           // seconds past freshness (RFC 5861 §4)
    bool must_revalidate = false;         // must-revalidate, proxy-revalidate or s-maxage
    bool has_validators = false;          // ETag or Last-Modified: a 304 can refresh it
};

class Entry {
public:
    struct Spec {
        std::string_view key;         // the full normalised key (copied into the entry)
        std::uint64_t hash = 0;       // XXH3 of key
        std::string_view head;        // status line + header lines, each ending CRLF, without
                                      // the final empty line (copied into the entry)
        std::size_t body_size = 0;    // bytes; filled through body_data() before insert
        int status = 200;
        Freshness freshness;
        StaleRules stale;
        // A URL's vary marker (cache/variants.hpp): its head lists the Vary names, it has no
        // body and is never served; the variants are stored under their own keys.
        bool vary_marker = false;
    };

    // Allocates one block for the entry; the body is left for the caller to fill.
    // Returns a reference the caller owns (count 1).
    static EntryRef create(const Spec& spec);

    std::string_view key() const noexcept;
    std::string_view head() const noexcept;
    std::string_view body() const noexcept;
    char* body_data() noexcept;   // only before the entry is inserted into the store
    std::uint64_t hash() const noexcept { return hash_; }
    int status() const noexcept { return status_; }
    bool is_vary_marker() const noexcept { return vary_marker_; }
    const Freshness& freshness() const noexcept { return freshness_; }
    const StaleRules& stale_rules() const noexcept { return stale_; }
    // Seconds past the end of freshness (0 while fresh).
    Seconds staleness(Seconds now) const noexcept {
        Seconds over = age(now) - freshness_.lifetime;
        return over > 0 ? over : 0;
    }
    // Bytes this entry costs the budget: its allocation's size class.
    std::size_t charge() const noexcept { return charge_; }

    // current_age (RFC 9111 §4.2.3), never negative.
    Seconds age(Seconds now) const noexcept {
        Seconds resident = now - freshness_.response_time;
        return freshness_.initial_age + (resident > 0 ? resident : 0);
    }
    bool fresh(Seconds now) const noexcept { return freshness_.lifetime > age(now); }

    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(this);
    }

private:
    friend class Shard;   // intrusive links are guarded by the shard's lock
    Entry() = default;
    ~Entry() = default;
    static void destroy(Entry* e) noexcept;

    // The first cache line holds what a lookup reads: the chain walk (hash_, bucket_next_,
    // key_size_), the expiry check, the promotion check and the count. 64 bytes exactly.
    std::atomic<std::uint32_t> refs_{1};
    std::uint32_t key_size_ = 0;
    std::uint64_t hash_ = 0;
    Entry* bucket_next_ = nullptr;   // shard-owned, guarded by the shard's mutex
    Freshness freshness_;
    Seconds promoted_at_ = 0;        // shard-owned: last LRU promotion (rate-limited)
    // Read when writing a hit, or by the shard on insert and eviction:
    std::uint32_t head_size_ = 0;
    std::uint16_t status_ = 0;
    bool vary_marker_ = false;       // fits the padding before stale_: the header keeps its size
    StaleRules stale_;
    std::size_t body_size_ = 0;
    std::size_t charge_ = 0;
    Entry* lru_prev_ = nullptr;      // shard-owned, guarded by the shard's mutex
    Entry* lru_next_ = nullptr;
    // followed in the same allocation by: key bytes, head bytes, body bytes
};

}  // namespace cachet::cache
