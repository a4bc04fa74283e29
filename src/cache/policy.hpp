#pragma once
// RFC 9111 decisions as pure functions over parsed messages and a time: no sockets, no
// clock inside. The proxy asks these; it never inspects Cache-Control itself.
#include <cstdint>
#include <optional>
#include <string_view>

#include "cache/partial_content.hpp"
#include "http/cache_control.hpp"
#include "http/header_view.hpp"
#include "http/method.hpp"
#include "util/time.hpp"

namespace cachet::cache {

// Why a response was not stored; the name shows in Cache-Status `detail` and stats.
enum class NotStored : std::uint8_t {
    stored,             // not a refusal: the response may be stored
    method,             // request method is not cacheable (only GET here)
    status,             // status not cacheable by default and no explicit freshness
    no_store,           // no-store in the request or the response
    private_directive,  // response Cache-Control: private (shared cache)
    authorization,      // request had Authorization and the response did not allow it
    set_cookie,         // response carries Set-Cookie
    vary_star,          // Vary: *
    vary_unusable,      // Vary names a non-token or too many fields, or the request's
                        // varied fields cannot be keyed (control bytes, too long)
    partial,            // a 206 that is not storable as a partial entry, or a 416 with
                        // Content-Range; a Content-Range in any other status means nothing
                        // (RFC 9110 §14.4) and a 200 carrying one is stored as complete
    too_large,          // body larger than the object limit
    truncated,          // body ended before its declared end
    no_freshness,       // nothing makes it fresh and nothing allows storing it stale
};
std::string_view name(NotStored reason) noexcept;  // "no-store", "too-large", ...

// The request facts the policy needs, extracted once per request.
struct RequestFacts {
    http::Method method = http::Method::get;
    bool has_authorization = false;
    http::CacheControl cache_control;
    bool pragma_no_cache = false;  // Pragma: no-cache with no Cache-Control
    std::uint8_t range_lines = 0;  // Range field lines, saturating at 255
};
RequestFacts request_facts(http::Method method, http::HeaderSpan headers) noexcept;

struct ResponseFacts {
    int status = 0;
    http::CacheControl cache_control;  // from the most specific targeted field present
    std::optional<Seconds> date;
    std::optional<Seconds> expires;  // an invalid Expires counts as already expired (0)
    bool expires_present = false;
    std::optional<Seconds> last_modified;
    std::optional<Seconds> age;  // Age header, delta-seconds; invalid ignored
    bool has_set_cookie = false;
    bool has_validator = false;  // ETag or Last-Modified present (RFC 9110 §8.8)
    bool vary_star = false;
    // Content-Range as received, whatever the status; only a 206's (and a 416's) has a
    // meaning (RFC 9110 §14.4), so only those are read by the policy.
    bool has_content_range = false;
    std::optional<ContentRange> content_range;  // when exactly one valid line (§14.4)
    bool has_vary = false;                      // any Vary line
};
ResponseFacts response_facts(int status, http::HeaderSpan headers) noexcept;

// What a route's rules say about its responses (cache/route.hpp): copied into the
// OriginRequest, which can outlive the Config snapshot the route lives in.
struct ResponseRules {
    std::optional<Seconds> default_ttl{};  // freshness when the response gives none
    std::optional<Seconds> forced_ttl{};   // freshness of a storable response, whatever it says
    bool store_set_cookie = false;         // store responses that carry Set-Cookie
    bool strip_set_cookie = false;         // store them, without their Set-Cookie fields
};

struct PolicyOptions {
    bool store_set_cookie = false;  // a response with Set-Cookie is not stored by default
    Seconds heuristic_cap = 86400;  // upper bound on heuristic freshness
    // A route's rules (cache/route.hpp); unset: RFC 9111 alone.
    std::optional<Seconds> default_ttl{};  // instead of the heuristic, when nothing explicit
    std::optional<Seconds> forced_ttl{};   // instead of whatever the response says
    bool strip_set_cookie = false;         // Set-Cookie does not stop storing: it is left out
};

// The options for a response under a route's rules: the global ones, with the route's added.
PolicyOptions with_rules(PolicyOptions options, const ResponseRules& rules) noexcept;

// Whether a shared cache may store this response (RFC 9111 §3).
NotStored storable(const RequestFacts& request, const ResponseFacts& response,
                   const PolicyOptions& options) noexcept;

// RFC 9111 §3.3: whether a response with partial content (status 206 only: a Content-Range
// in a 200 means nothing, RFC 9110 §14.4) may be stored as a partial entry: a 206 to a GET
// with one Range line, carrying one Content-Range whose complete length is known, and no
// Vary (a partial variant is not kept: a choice, to keep partial entries to the primary
// key). A multipart/byteranges 206 has no Content-Range of its own and is not stored. That
// the body is the range named is checked once its length is known (body_matches).
bool storable_as_partial(const RequestFacts& request, const ResponseFacts& response) noexcept;

// Whether a storable response that is already stale when it arrives (its freshness
// lifetime is no more than its corrected initial age: no-cache, max-age=0, s-maxage=0, an
// Expires not after Date, or an Age past its lifetime) is still stored: `stored` when it
// carries a validator, so that the next request revalidates it (RFC 9111 §4.3.1) instead
// of fetching it whole; `no_freshness` otherwise, as nothing could use it.
NotStored storable_when_stale(const ResponseFacts& response) noexcept;

// Whether the response's directives forbid serving it stale, whatever a request or a
// stale extension allows (RFC 9111 §4.2.4): unqualified no-cache, must-revalidate,
// proxy-revalidate, s-maxage.
bool forbids_stale(const http::CacheControl& response) noexcept;

// freshness_lifetime (RFC 9111 §4.2.1, §4.2.2 heuristic). 0 when not fresh at all.
Seconds freshness_lifetime(const ResponseFacts& response, const PolicyOptions& options) noexcept;

// corrected_initial_age (RFC 9111 §4.2.3) at response_time.
Seconds corrected_initial_age(const ResponseFacts& response, Seconds request_time,
                              Seconds response_time) noexcept;

// True when a status code is heuristically cacheable (RFC 9110 §15.1).
bool heuristically_cacheable(int status) noexcept;

// Whether a stored response with this current age and lifetime may be served for this
// request without contacting the origin (RFC 9111 §4.2, §5.2.1 request directives).
enum class Servable : std::uint8_t { fresh, stale, must_validate };
Servable servable(const RequestFacts& request, const http::CacheControl& stored,
                  Seconds current_age, Seconds lifetime) noexcept;

}  // namespace cachet::cache
