#pragma once
// One request, one decision: what the cache does with a request, given what the store
// holds for it, as a pure function (no I/O, no clock, no allocation). The connection
// gathers the facts, calls decide() and carries out the one Decision it returns with a
// switch (server/request_dispatch.cpp); tests walk the table (decision_test.cpp).
//
// The order it follows: a partial entry answers only a fresh Range inside its bytes; a
// fresh entry answers as stored, or as a 304, 206 or 416 derived from it (RFC 9111 §4.2,
// §4.3.2, §3.3); a stale one may be served if the request or its stale extensions allow
// (RFC 9111 §4.2.4, RFC 5861), else it rides along with the fetch that revalidates it
// (§4.3.1); only-if-cached stops there with a 504 (§5.2.1.7); what is left goes to the
// origin, coalesced when its response may answer the others that wait for it.
#include <cstdint>
#include <string_view>

#include "cache/derivation.hpp"
#include "cache/entry.hpp"
#include "cache/policy.hpp"
#include "http/method.hpp"
#include "util/time.hpp"

namespace cachet::cache {

enum class Decision : std::uint8_t {
    serve_hit,                // the fresh stored response, as stored
    serve_stale,              // a stale one the request accepts (max-stale, §5.2.1.2)
    serve_stale_and_refresh,  // stale within stale-while-revalidate: served, and revalidated
                              // in the background (RFC 5861 §3)
    not_modified,             // a 304 from a fresh entry (RFC 9111 §4.3.2)
    range_from_entry,         // a 206 of one range of a fresh complete entry (RFC 9110 §14.2)
    partial_from_entry,       // a 206 from a fresh partial entry that holds the range (§3.3)
    unsatisfiable_range,      // a 416 from a fresh complete entry (RFC 9110 §15.5.17)
    only_if_cached_504,       // only-if-cached and nothing usable stored (§5.2.1.7)
    revalidate,               // a coalesced fetch that carries the stale entry: its validators
                              // when it has some (§4.3.1), and a stand-in on error (RFC 5861 §4)
    coalesce,                 // a coalesced fetch: lead it, or wait for the one in flight
    fetch_alone,              // a private fetch whose response may still be stored (a Range,
                              // or a key past its waiter cap)
    pass,                     // forwarded with no key: nothing comes back into the store
};
std::string_view name(Decision decision) noexcept;  // "serve-hit", "revalidate", ...

// How a forwarded response came about, for Cache-Status `fwd` (RFC 9211 §2.2).
enum class Forward : std::uint8_t {
    miss,       // nothing stored for the request
    vary_miss,  // the URL has stored variants, none for this request's fields
    stale,      // a stored response was stale (set by the fetch when one rode along)
    bypass,     // a method the cache does not answer from storage, or a bypass route
};
std::string_view name(Forward forward) noexcept;  // "miss", "vary-miss", "stale", "bypass"

// What decide() needs to know about the request, gathered as its head is parsed.
struct RequestTraits {
    http::Method method = http::Method::get;
    bool keyed = false;        // a GET or HEAD without a body, whose key could be built
    bool conditional = false;  // If-* fields: answered from a fresh entry or forwarded as sent,
                               // and then the response is not stored
    bool range = false;        // a Range field
    // The request's route (cache/route.hpp), when one matched (here, in the padding before
    // the pointer: the traits stay 16 bytes):
    bool bypass = false;           // forwarded, never looked up nor stored (fwd=bypass); the
                                   // connection then builds no key (keyed is false)
    bool ignore_no_cache = false;  // its no-cache / Pragma: no-cache force no validation
    // The request's Cache-Control, Pragma and Authorization, when it has any of them; null
    // when it has none, which is what most requests (and every hit the bench makes) carry.
    const RequestFacts* directives = nullptr;
    // Room for what later inputs add (the replay mode): fields here and rows in the table
    // test, not branches in the connection.
};

// What the store holds for the request.
struct Lookup {
    // The stored response selected for the request: the URL's entry, or its variant for
    // the request's fields (cache/variants.hpp); null when there is none. Never a marker.
    const Entry* entry = nullptr;
    bool vary_miss = false;  // the URL varies and no variant matches the request
    // For a conditional or Range request with an entry: what it makes of that entry.
    const Derivation* derived = nullptr;
};

struct Verdict {
    Decision decision = Decision::pass;
    Forward forward = Forward::miss;  // what Cache-Status says if the request goes forward
};

Verdict decide_in_full(const RequestTraits& request, const Lookup& found, Seconds now) noexcept;

// The decision. The common hit (a plain GET or HEAD with no directives, a fresh complete
// entry) is answered inline, as every request of a hot key takes it; the rest of the table
// is decide_in_full's, which answers that case the same way.
inline Verdict decide(const RequestTraits& request, const Lookup& found, Seconds now) noexcept {
    const Entry* entry = found.entry;
    if (entry && request.keyed && !request.directives && !request.conditional && !request.range &&
        !entry->is_partial() && entry->fresh(now)) {
        return {Decision::serve_hit, Forward::miss};
    }
    return decide_in_full(request, found, now);
}

// Whether a stored response is fresh enough for the request to be answered with it as is
// (RFC 9111 §4.2, and the request's max-age / min-fresh, §5.2.1). Using it stale is a
// separate question (cache/stale_use.hpp), which decide() asks only when this says no.
bool fresh_for(const RequestFacts* directives, const Entry& entry, Seconds now) noexcept;

}  // namespace cachet::cache
