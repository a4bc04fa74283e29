// RFC 9111 decisions for a shared cache, as pure functions: every input is a parameter,
// including time. Where the RFC leaves a choice, the choice made is written next to the
// rule, with the clause that allows it.
#include "cache/policy.hpp"
#include "http/tokens.hpp"

#include <algorithm>

#include "http/http_date.hpp"

namespace cachet::cache {
namespace {

using http::is_ows;
using http::is_tchar;
using http::trim_ows;

using http::iequals;

// Calls `visit` with each trimmed, non-empty member of a comma-separated list
// (RFC 9110 §5.6.1) until it returns true; returns whether one did.
template <class Visit>
bool any_member(std::string_view value, Visit visit) noexcept {
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        const std::string_view member = trim_ows(value.substr(0, comma));
        if (!member.empty() && visit(member)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

// delta-seconds (RFC 9111 §1.2.2), saturating at 2^31; nullopt when not all digits.
std::optional<Seconds> parse_delta_seconds(std::string_view text) noexcept {
    const auto value = http::parse_digits(text);
    if (!value) return std::nullopt;
    return static_cast<Seconds>(std::min<std::uint64_t>(*value, http::delta_seconds_cap));
}

bool has_nonempty_field(http::HeaderSpan headers, std::string_view name) noexcept {
    return std::any_of(headers.begin(), headers.end(), [&](const http::HeaderView& h) {
        return iequals(h.name, name) && !trim_ows(h.value).empty();
    });
}

// RFC 9213 §2.1: the most specific targeted field present replaces Cache-Control, and
// Expires with it. Our own target comes first, then the one every CDN honours. An empty
// targeted field is ignored (RFC 9213 §2.2); the rest of the Structured Fields validity
// check is not done: the field is read with the Cache-Control parser.
std::string_view cache_control_field(http::HeaderSpan headers) noexcept {
    for (const std::string_view targeted : {"Cachet-Cache-Control", "CDN-Cache-Control"}) {
        if (has_nonempty_field(headers, targeted)) return targeted;
    }
    return "Cache-Control";
}

// RFC 9110 §15: a final status is a three-digit code from 200 to 599; codes outside
// 100..599 are invalid.
bool final_status(int status) noexcept { return status >= 200 && status <= 599; }

// Final status codes defined by RFC 9110 §15, whose caching requirements this cache
// follows; 304 is excluded because it never stores one as an entry. 206 is understood:
// it is stored as a partial entry (storable_as_partial) or not at all.
bool understood_status(int status) noexcept {
    if (status >= 200 && status <= 206) return true;
    if (status >= 300 && status <= 308) return status != 304 && status != 306;
    if (status >= 400 && status <= 417) return true;
    if (status >= 421 && status <= 426) return status != 424 && status != 425;
    return status >= 500 && status <= 505;
}

bool has_explicit_freshness(const ResponseFacts& response) noexcept {
    const http::CacheControl& cc = response.cache_control;
    return cc.max_age || cc.s_maxage || response.expires_present;
}

}  // namespace

std::string_view name(NotStored reason) noexcept {
    switch (reason) {
    case NotStored::stored: return "stored";
    case NotStored::method: return "method";
    case NotStored::status: return "status";
    case NotStored::no_store: return "no-store";
    case NotStored::private_directive: return "private";
    case NotStored::authorization: return "authorization";
    case NotStored::set_cookie: return "set-cookie";
    case NotStored::vary_star: return "vary-star";
    case NotStored::vary_unusable: return "vary-unusable";
    case NotStored::partial: return "partial";
    case NotStored::too_large: return "too-large";
    case NotStored::truncated: return "truncated";
    case NotStored::no_freshness: return "no-freshness";
    }
    return "unknown";
}

RequestFacts request_facts(http::Method method, http::HeaderSpan headers) noexcept {
    RequestFacts facts;
    facts.method = method;
    bool pragma_no_cache = false;
    for (const http::HeaderView& h : headers) {
        if (iequals(h.name, "Authorization")) {
            facts.has_authorization = true;
        } else if (iequals(h.name, "Cache-Control")) {
            facts.cache_control.parse_line(h.value);
        } else if (iequals(h.name, "Range")) {
            if (facts.range_lines < 255) ++facts.range_lines;
        } else if (iequals(h.name, "Pragma")) {
            pragma_no_cache = pragma_no_cache || any_member(h.value, [](std::string_view m) {
                                  return iequals(m, "no-cache");
                              });
        }
    }
    // RFC 9111 §5.4: Pragma counts only when the request has no Cache-Control at all.
    facts.pragma_no_cache = pragma_no_cache && !facts.cache_control.present;
    return facts;
}

ResponseFacts response_facts(int status, http::HeaderSpan headers) noexcept {
    ResponseFacts facts;
    facts.status = status;
    const std::string_view cc_field = cache_control_field(headers);
    const bool targeted = !iequals(cc_field, "Cache-Control");
    bool date_seen = false;
    bool last_modified_seen = false;
    for (const http::HeaderView& h : headers) {
        if (iequals(h.name, cc_field)) {
            facts.cache_control.parse_line(h.value);
        } else if (iequals(h.name, "Date")) {
            // The first line wins for every singleton date (RFC 9111 §4.2.1). A missing or
            // invalid Date is replaced by the receiver with the response time
            // (RFC 9110 §6.6.1); that is the caller's job: this function has no clock.
            if (!date_seen) facts.date = http::parse_http_date(h.value);
            date_seen = true;
        } else if (iequals(h.name, "Expires")) {
            // RFC 9111 §5.3: an invalid Expires, "0" above all, means already expired.
            if (!targeted && !facts.expires_present) {
                facts.expires = http::parse_http_date(h.value).value_or(0);
                facts.expires_present = true;
            }
        } else if (iequals(h.name, "Last-Modified")) {
            facts.has_validator = true;
            if (!last_modified_seen) facts.last_modified = http::parse_http_date(h.value);
            last_modified_seen = true;
        } else if (iequals(h.name, "Age")) {
            // RFC 9111 §5.1 says to use the first member and ignore the field if that is
            // invalid; we keep looking for a valid one instead: a larger age is the safe
            // error, and no age at all would read as 0.
            if (!facts.age) {
                any_member(h.value, [&](std::string_view m) {
                    facts.age = parse_delta_seconds(m);
                    return facts.age.has_value();
                });
            }
        } else if (iequals(h.name, "ETag")) {
            facts.has_validator = true;
        } else if (iequals(h.name, "Set-Cookie")) {
            facts.has_set_cookie = true;
        } else if (iequals(h.name, "Vary")) {
            facts.has_vary = true;
            facts.vary_star =
                facts.vary_star || any_member(h.value, [](std::string_view m) { return m == "*"; });
        } else if (iequals(h.name, "Content-Range")) {
            // A singleton (RFC 9110 §14.4): a second line leaves no usable range.
            facts.content_range =
                facts.has_content_range ? std::nullopt : parse_content_range(h.value);
            facts.has_content_range = true;
        }
    }
    return facts;
}

bool heuristically_cacheable(int status) noexcept {
    switch (status) {
    case 200:
    case 203:
    case 204:
    case 206:
    case 300:
    case 301:
    case 308:
    case 404:
    case 405:
    case 410:
    case 414:
    case 501: return true;
    default: return false;
    }
}

NotStored storable(const RequestFacts& request, const ResponseFacts& response,
                   const PolicyOptions& options) noexcept {
    const http::CacheControl& cc = response.cache_control;
    // RFC 9111 §3: the method must be understood and cacheable; HEAD responses are not
    // stored in this version (a HEAD is answered from a stored GET instead).
    if (request.method != http::Method::get) return NotStored::method;
    // RFC 9111 §5.2.1.5 (request), §5.2.2.5 (response). With must-understand, a cache that
    // understands the status SHOULD ignore no-store (§5.2.2.3); a status it does not
    // understand is refused below whatever the directives say.
    const bool response_no_store = cc.no_store && !cc.must_understand;
    if (request.cache_control.no_store || response_no_store) return NotStored::no_store;
    // RFC 9111 §5.2.2.7: unqualified private forbids a shared cache to store. The
    // qualified form (`private="Set-Cookie"`) only forbids storing the named fields: the
    // response is storable, and whoever writes the entry must strip those fields.
    if (cc.is_private && !cc.private_has_fields) return NotStored::private_directive;
    // RFC 9111 §3.5: these three directives are what allow a shared cache to store a
    // response to an authenticated request.
    if (request.has_authorization && !cc.is_public && !cc.s_maxage && !cc.must_revalidate) {
        return NotStored::authorization;
    }
    // strip_set_cookie: stored, and the stored head leaves the field out (store_updates.cpp).
    if (response.has_set_cookie && !options.store_set_cookie && !options.strip_set_cookie)
        return NotStored::set_cookie;
    // RFC 9110 §12.5.5: Vary: * can never be matched by a later request.
    if (response.vary_star) return NotStored::vary_star;
    // RFC 9111 §3.3: partial content (a 206) is stored only as a partial entry, never as
    // complete. RFC 9110 §14.4: "The Content-Range header field has no meaning for status
    // codes that do not explicitly describe its semantic", and only 206 and 416 do, so a
    // 200 that carries one is complete and stored like any other, its fields as received.
    if (response.status == 206 && !storable_as_partial(request, response)) {
        return NotStored::partial;
    }
    // A 416's Content-Range ("bytes */1000") answers the request's Range, which the key
    // does not hold, so such a 416 is not stored.
    if (response.status == 416 && response.has_content_range) return NotStored::partial;
    // RFC 9111 §3: the status must be final, and understood when it is 304 or the response
    // has must-understand (a 206 that is not a partial entry was refused above); something
    // must make the response cacheable: explicit freshness, public, or a heuristically
    // cacheable status. So an unknown final status (299, 599) with max-age is stored, as its
    // sender asked; without
    // must-understand nothing in its class's semantics forbids it (RFC 9110 §15).
    // no-cache is deliberately not a refusal: such a response is stored and revalidated
    // before each use (RFC 9111 §5.2.2.4).
    if (!final_status(response.status) || response.status == 304) return NotStored::status;
    if (cc.must_understand && !understood_status(response.status)) return NotStored::status;
    if (!heuristically_cacheable(response.status) && !has_explicit_freshness(response) &&
        !cc.is_public) {
        return NotStored::status;
    }
    return NotStored::stored;
}

bool storable_as_partial(const RequestFacts& request, const ResponseFacts& response) noexcept {
    // RFC 9111 §3.3 lets a cache store an incomplete response when it records it as
    // incomplete; a 206 to one Range line is one range of the representation, which the
    // Content-Range names along with the complete length that later ranges resolve against.
    return response.status == 206 && request.method == http::Method::get &&
           request.range_lines == 1 && response.content_range.has_value() && !response.has_vary;
}

NotStored storable_when_stale(const ResponseFacts& response) noexcept {
    // RFC 9111 §4.2.4 and §5.2.2.4 let a cache store a response it may not serve without
    // validation; §4.3.1 lets it validate with the stored ETag / Last-Modified. Without
    // either, a conditional request cannot be built, and the entry would only take room.
    return response.has_validator ? NotStored::stored : NotStored::no_freshness;
}

bool forbids_stale(const http::CacheControl& response) noexcept {
    // RFC 9111 §4.2.4: "A cache MUST NOT generate a stale response if it is prohibited by
    // an explicit in-protocol directive". s-maxage implies proxy-revalidate (§5.2.2.10).
    // A qualified no-cache forbids only sending the named fields unvalidated (§5.2.2.4):
    // it is not counted here.
    return (response.no_cache && !response.no_cache_has_fields) || response.must_revalidate ||
           response.proxy_revalidate || response.s_maxage.has_value();
}

// Expects `response.date` to be filled: the proxy sets it to the response time when the
// origin sent none (RFC 9110 §6.6.1). Without it only the directives can give a lifetime.
PolicyOptions with_rules(PolicyOptions options, const ResponseRules& rules) noexcept {
    options.store_set_cookie = options.store_set_cookie || rules.store_set_cookie;
    options.strip_set_cookie = rules.strip_set_cookie;
    options.default_ttl = rules.default_ttl;
    options.forced_ttl = rules.forced_ttl;
    return options;
}

Seconds freshness_lifetime(const ResponseFacts& response, const PolicyOptions& options) noexcept {
    const http::CacheControl& cc = response.cache_control;
    // A route's forced_ttl replaces the response's own freshness; whether it is stored at all
    // (no-store, private, the status) is still storable()'s.
    if (options.forced_ttl) return std::max<Seconds>(*options.forced_ttl, 0);
    // RFC 9111 §5.2.2.4: the most restrictive directive wins when they conflict (§4.2.1).
    if (cc.no_cache && !cc.no_cache_has_fields) return 0;
    // RFC 9111 §4.2.1, in order: s-maxage (shared caches), max-age, Expires - Date.
    if (cc.s_maxage) return std::max<Seconds>(*cc.s_maxage, 0);
    if (cc.max_age) return std::max<Seconds>(*cc.max_age, 0);
    if (response.expires_present) {
        if (!response.date || !response.expires) return 0;
        return std::max<Seconds>(*response.expires - *response.date, 0);
    }
    // RFC 9111 §4.2.2: with no explicit expiration, a heuristic is allowed for a
    // heuristically cacheable status or a public response; 10% of the time since
    // Last-Modified, as the RFC suggests, capped.
    if (!heuristically_cacheable(response.status) && !cc.is_public) return 0;
    // A route's default_ttl stands in for the heuristic.
    if (options.default_ttl) return std::max<Seconds>(*options.default_ttl, 0);
    if (!response.date || !response.last_modified) return 0;
    const Seconds since_modified = std::max<Seconds>(*response.date - *response.last_modified, 0);
    return std::min(since_modified / 10, std::max<Seconds>(options.heuristic_cap, 0));
}

// RFC 9111 §4.2.3, with one deviation: response_delay is never negative, so that a clock
// step backwards between request and response cannot make a response younger.
Seconds corrected_initial_age(const ResponseFacts& response, Seconds request_time,
                              Seconds response_time) noexcept {
    const Seconds date_value = response.date.value_or(response_time);
    const Seconds apparent_age = std::max<Seconds>(response_time - date_value, 0);
    const Seconds response_delay = std::max<Seconds>(response_time - request_time, 0);
    const Seconds corrected_age_value = response.age.value_or(0) + response_delay;
    return std::max(apparent_age, corrected_age_value);
}

Servable servable(const RequestFacts& request, const http::CacheControl& stored,
                  Seconds current_age, Seconds lifetime) noexcept {
    const http::CacheControl& want = request.cache_control;
    // RFC 9111 §5.2.1.4, §5.4: the client asks for validation.
    if (want.no_cache || request.pragma_no_cache) return Servable::must_validate;
    // RFC 9111 §5.2.2.4. The qualified form only withholds the named fields, which the
    // stored response does not have (cache/withheld_fields.hpp): the rest may be reused.
    if (stored.no_cache && !stored.no_cache_has_fields) return Servable::must_validate;
    // RFC 9111 §5.2.1.1: the client will not take a response older than max-age.
    if (want.max_age && current_age > *want.max_age) return Servable::must_validate;
    // RFC 9111 §5.2.1.3: the client wants it to stay fresh for min-fresh more seconds.
    if (want.min_fresh && lifetime - current_age < *want.min_fresh) return Servable::must_validate;
    if (lifetime > current_age) return Servable::fresh;
    // Stale (RFC 9111 §4.2.4): servable only when the client allows it with max-stale and
    // the response does not forbid it.
    if (forbids_stale(stored)) return Servable::must_validate;
    const Seconds staleness = current_age - lifetime;
    if (want.max_stale_any || (want.max_stale && staleness <= *want.max_stale)) {
        return Servable::stale;
    }
    return Servable::must_validate;
}

}  // namespace cachet::cache
