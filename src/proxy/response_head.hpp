#pragma once
// Turns the origin's response head into what clients and the store see: hop-by-hop fields
// removed, Via added, Date supplied when missing, and the storage verdict and freshness
// asked of the policy (RFC 9111 §3, §4.2).
#include <string_view>

#include "cache/policy.hpp"
#include "http/header_view.hpp"
#include "proxy/fill.hpp"
#include "proxy/origin_request.hpp"

namespace cachet::proxy {

struct OriginResponse {
    int status = 0;
    std::string_view reason;
    http::HeaderSpan headers;
    bool has_content_length = false;
    std::uint64_t content_length = 0;
    bool chunked = false;
};

struct HeadOptions {
    cache::PolicyOptions policy;
    std::size_t max_object_size = 0;
    bool has_key = true;  // false: the response has no cache key and is never stored
};

// How long a stale entry is kept past its freshness (seconds): any entry briefly, for a
// client's max-stale; one with validators for revalidation, which costs the origin far
// less than a full response. Memory pressure evicts stale entries like any other (LRU).
constexpr Seconds kStaleGrace = 60;
constexpr Seconds kRevalidationWindow = 3600;

cache::StaleRules stale_rules(const cache::ResponseFacts& facts, http::HeaderSpan headers);
// When the store may drop an entry stored at `stored_at` and fresh until `fresh_until`
// (which is not after `stored_at` for a response that arrived stale).
Seconds keep_until(Seconds stored_at, Seconds fresh_until, const cache::StaleRules& rules);

FillHead build_fill_head(const OriginRequest& request, const OriginResponse& response,
                         Seconds response_time, const HeadOptions& options);

}  // namespace cachet::proxy
