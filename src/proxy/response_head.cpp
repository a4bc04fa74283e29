#include "proxy/response_head.hpp"

#include <algorithm>
#include <charconv>

#include "cache/variants.hpp"
#include "cache/vary.hpp"
#include "http/hop_by_hop.hpp"
#include "http/http_date.hpp"

namespace cachet::proxy {
namespace {

bool has_field(http::HeaderSpan headers, std::string_view name) {
    for (const auto& f : headers) {
        if (http::iequals(f.name, name)) return true;
    }
    return false;
}

std::string_view find_field(http::HeaderSpan headers, std::string_view name) {
    for (const auto& f : headers) {
        if (http::iequals(f.name, name)) return f.value;
    }
    return {};
}

void append_status_line(std::string& out, int status, std::string_view reason) {
    char digits[8];
    auto end = std::to_chars(digits, digits + sizeof digits, status).ptr;
    out.append("HTTP/1.1 ").append(digits, end).append(" ");
    out.append(reason.empty() ? std::string_view("Unknown") : reason).append("\r\n");
}

// Fields the cache owns on the way out: framing is set per client, Age per hit, and
// Cachet-Cache-Control is addressed to cachet alone (RFC 9213 §2: a targeted field for a
// named cache; CDN-Cache-Control is passed on for the caches beyond us).
bool replaced_by_cachet(std::string_view name) {
    return http::iequals(name, "content-length") || http::iequals(name, "age") ||
           http::iequals(name, "cachet-cache-control");
}

cache::NotStored verdict_for(const OriginRequest& request, const OriginResponse& response,
                             const cache::ResponseFacts& facts, Seconds lifetime,
                             const HeadOptions& options) {
    auto verdict = cache::storable(request.facts(), facts, options.policy);
    if (verdict != cache::NotStored::stored) return verdict;
    if (!options.has_key) return cache::NotStored::method;
    if (response.has_content_length && response.content_length > options.max_object_size) {
        return cache::NotStored::too_large;
    }
    // RFC 9110 §15.3.7: a 206's body is the range its Content-Range names; a declared length
    // that differs cannot be that range (a chunked one is checked when it ends).
    // A Content-Range in any other status means nothing (RFC 9110 §14.4) and is not checked.
    if (facts.status == 206 && facts.content_range && response.has_content_length &&
        !response.chunked && !cache::body_matches(*facts.content_range, response.content_length)) {
        return cache::NotStored::partial;
    }
    // Stale on arrival (no-cache, max-age=0, ...): kept only when it can be revalidated.
    if (lifetime <= 0) return cache::storable_when_stale(facts);
    return cache::NotStored::stored;
}

// RFC 9111 §4.1: a response with Vary is stored as one variant of its URL, keyed by what
// the request that fetched it sent in the varied fields: the fields cachet forwarded (a
// Vary'd field such as Accept-Encoding is end-to-end and goes to the origin unchanged).
// Fields cachet adds or strips on the way (Via, X-Forwarded-For, hop-by-hop ones) differ
// from the client's, so a variant keyed on them is never matched: a miss, not a wrong hit.
cache::NotStored key_variant(const OriginRequest& request, http::HeaderSpan headers,
                             FillHead& head) {
    if (!has_field(headers, "vary")) return cache::NotStored::stored;
    const auto vary = cache::VaryNames::of_headers(headers);
    if (vary.names().empty() && !vary.any() && !vary.malformed()) {
        return cache::NotStored::stored;  // an empty Vary list selects on nothing
    }
    cache::SecondaryKeyBuffer key;
    switch (cache::build_secondary_key_of_head(key, vary, request.head)) {
    case cache::VaryKey::built:
        head.varies = true;
        head.secondary_key.assign(key.view());  // a miss-path allocation
        return cache::NotStored::stored;
    case cache::VaryKey::never_matches: return cache::NotStored::vary_star;
    case cache::VaryKey::malformed:
    case cache::VaryKey::too_long: break;
    }
    return cache::NotStored::vary_unusable;
}

std::uint32_t window(const std::optional<Seconds>& seconds) {
    if (!seconds || *seconds <= 0) return 0;
    return static_cast<std::uint32_t>(std::min<Seconds>(*seconds, 0x7fffffff));
}

}  // namespace

cache::StaleRules stale_rules(const cache::ResponseFacts& facts, http::HeaderSpan headers) {
    cache::StaleRules rules;
    const auto& cc = facts.cache_control;
    rules.while_revalidate = window(cc.stale_while_revalidate);
    rules.if_error = window(cc.stale_if_error);
    // An unqualified no-cache entry counts as must-revalidate: it is never served without
    // validation, neither for a client's max-stale nor within its stale windows.
    rules.must_revalidate = cache::forbids_stale(cc);
    rules.has_validators = has_field(headers, "etag") || has_field(headers, "last-modified");
    return rules;
}

Seconds keep_until(Seconds stored_at, Seconds fresh_until, const cache::StaleRules& rules) {
    // A stale entry is worth keeping while it can still be used: inside its stale windows
    // (counted from the end of freshness), or for revalidation when it has validators (a
    // 304 costs the origin far less than a 200), counted from when it was stored, since a
    // response that arrived stale (no-cache, max-age=0, a large Age) is kept for that
    // alone. Past that, or under memory pressure (LRU), it goes.
    Seconds windows = std::max<Seconds>({kStaleGrace, rules.while_revalidate, rules.if_error});
    Seconds until = fresh_until + windows;
    if (rules.has_validators) {
        until = std::max(until, std::max(fresh_until, stored_at) + kRevalidationWindow);
    }
    return until;
}

FillHead build_fill_head(const OriginRequest& request, const OriginResponse& response,
                         Seconds response_time, const HeadOptions& options) {
    FillHead head;
    head.status = response.status;
    head.bodyless = request.head_method || response.status == 204 || response.status == 304 ||
                    (response.status >= 100 && response.status < 200);
    if (response.has_content_length && !response.chunked)
        head.content_length = response.content_length;
    if (head.bodyless) {
        head.content_length.reset();
        head.origin_content_length = std::string(find_field(response.headers, "content-length"));
    }

    http::ConnectionTokens connection(response.headers);
    std::string& out = head.client_head;
    out.reserve(256 + response.headers.size() * 48);
    append_status_line(out, response.status, response.reason);
    for (const auto& f : response.headers) {
        if (http::must_strip(f.name, connection) || replaced_by_cachet(f.name)) continue;
        out.append(f.name).append(": ").append(f.value).append("\r\n");
    }
    auto facts = cache::response_facts(response.status, response.headers);
    if (!facts.date) {
        // RFC 9110 §6.6.1: a recipient with a clock supplies Date when the origin did not.
        auto date = http::format_http_date(response_time);
        out.append("Date: ").append(date.data(), date.size()).append("\r\n");
        facts.date = response_time;
    }
    out.append("Via: 1.1 cachet\r\n");

    Seconds lifetime = cache::freshness_lifetime(facts, options.policy);
    Seconds initial_age = cache::corrected_initial_age(facts, request.request_time, response_time);
    head.verdict = verdict_for(request, response, facts, lifetime - initial_age, options);
    if (head.verdict == cache::NotStored::stored)
        head.verdict = key_variant(request, response.headers, head);
    head.strip_set_cookie = options.policy.strip_set_cookie && facts.has_set_cookie;
    head.stale = stale_rules(facts, response.headers);
    head.freshness = cache::Freshness{
        response_time, initial_age, lifetime,
        keep_until(response_time, response_time + (lifetime - initial_age), head.stale)};
    head.origin_status = response.status;
    return head;
}

}  // namespace cachet::proxy
