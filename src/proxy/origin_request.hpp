#pragma once
// The request cachet sends to the origin for one client request: hop-by-hop fields
// removed, Via and X-Forwarded-For added, framing set for the body it will stream.
// Built once on a miss (an allocation on the miss path, owned by the fetch).
#include <string>
#include <string_view>

#include "cache/policy.hpp"
#include "cachet/config.hpp"
#include "http/request_head.hpp"
#include "proxy/drill.hpp"
#include "replay/recorded_request.hpp"
#include "util/time.hpp"

namespace cachet::proxy {

struct OriginRequest {
    std::string head;  // request line, fields, empty line
    http::Method method = http::Method::other;
    std::string host;          // the client's Host (or the origin's authority)
    std::string target;        // the request target as the client sent it
    bool head_method = false;  // the response has no body
    bool has_body = false;
    bool chunked_body = false;  // the body is re-framed as chunked towards the origin
    bool may_retry = false;     // idempotent and bodyless: safe to resend on a fresh connection
    bool has_authorization = false;
    http::CacheControl cache_control;
    bool pragma_no_cache = false;
    std::uint8_t range_lines = 0;
    Seconds request_time = 0;
    std::uint16_t origin = 0;         // index in Config::origins (the request's route's)
    std::uint16_t servers_tried = 0;  // of that origin, for this request (origin_pools.hpp)
    // The response rules of the request's route (cache/route.hpp), copied: a fetch can
    // outlive the Config snapshot its route lives in. Default: none.
    cache::ResponseRules rules;
    // --mode record, or a replay's forwarded miss: what the recorder writes with the
    // response (proxy/exchange_recording.hpp); null when the exchange is not recorded.
    replay::RecordedRequestRef recorded;
    // What a drill on its origin does to it (proxy/drill.hpp), decided once in
    // OriginPools::start and kept through retries. Default: nothing.
    DrillAction drill;

    // Keyed on its body by its route's body_key: its answer is stored as a GET's would be,
    // and it invalidates nothing (a read API that happens to use POST).
    bool body_keyed = false;
    // Collected whole by the client exchange, which stores its parts itself (a JSON-RPC
    // batch's answers, call by call: server/rpc_batch_dispatch.cpp). Its fill has no key and
    // is never stored, yet its head is judged as a keyed fill's would be: the verdict says
    // whether the parts may be stored.
    bool collected = false;
    // The facts the storage policy needs; valid while this request lives.
    cache::RequestFacts facts() const noexcept {
        return cache::RequestFacts{body_keyed ? http::Method::get : method, has_authorization,
                                   cache_control, pragma_no_cache, range_lines};
    }
};

OriginRequest build_origin_request(const http::RequestHead& request, std::string_view client_ip,
                                   const OriginAddress& origin, Seconds now);

// Adds If-None-Match / If-Modified-Since from a stored head's ETag / Last-Modified, to
// revalidate it (RFC 9111 §4.3.1).
void add_validators(OriginRequest& request, std::string_view stored_head);

// Replaces the framing of a built request's body (Content-Length or chunked, the head's
// last field) with Content-Length: `length`, for a body other than the client's (a batch's
// forwarded calls). A request without a body is left as it is.
void set_body_length(OriginRequest& request, std::uint64_t length);

// The origin-form of a target: "http://host/p?q" -> "/p?q"; origin-form is returned as is.
std::string_view origin_form(std::string_view target) noexcept;

}  // namespace cachet::proxy
