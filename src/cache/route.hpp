#pragma once
// Routes: cache rules per host and path, from the config file's `routes` (docs/configuration.md,
// "Routes"). Matched in order, the first match wins; a request that matches none keeps the
// default rules. Pure functions: matching allocates nothing, and the rules are immutable
// values inside the Config snapshot (what outlives a loop turn copies what it needs).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cache/key.hpp"
#include "cache/policy.hpp"
#include "http/header_view.hpp"
#include "http/method.hpp"
#include "json/json_pointer.hpp"
#include "json/pointer_cursor.hpp"
#include "replay/latency.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace cachet::cache {

enum class PathMatch : std::uint8_t {
    exact,   // "path": the path equals it
    prefix,  // "path_prefix": the path starts with it
    glob,    // "path_glob": `*` within one segment, `**` across segments
};

struct RouteMatch {
    std::string host;  // lowercased, without a trailing dot; empty: any host
    PathMatch kind = PathMatch::prefix;
    std::string path;  // starts with '/', holds no '?' or '#'
};

enum class QueryRule : std::uint8_t {
    as_sent,   // the query keys as sent (no "query" in cache_key)
    drop_all,  // "drop_all": no query in the key
    drop,      // {"drop": [...]}: parameters whose names match are left out
    keep,      // {"keep": [...]}: only parameters whose names match are kept
};

// How a route's requests are keyed (cache_key). Parameter names are compared as sent
// (percent-encoding left alone), with `*` matching any run of characters.
struct KeyRules {
    QueryRule query = QueryRule::as_sent;
    std::vector<std::string> names;     // as written (for --print-config), "tracking" unexpanded
    std::vector<std::string> patterns;  // names with "tracking" expanded
    bool sort_query = false;
    std::vector<std::string> headers;  // request fields added to the key, as written
    std::vector<std::string> cookies;  // cookies added to the key, by name

    // Whether the key differs from build_key's: when not, the plain key is built.
    bool changes_key() const noexcept {
        return query != QueryRule::as_sent || sort_query || !headers.empty() || !cookies.empty();
    }
};

// What the ready-made list "tracking" stands for inside "drop".
inline constexpr std::string_view kTrackingParameters[] = {"utm_*",  "gclid",  "fbclid", "msclkid",
                                                           "mc_cid", "mc_eid", "_ga",    "yclid"};

// How a route keys a request's body (body_key): for POST, PUT, PATCH and QUERY, whose body names what
// is asked (GraphQL queries, search endpoints, JSON-RPC). docs/configuration.md, "body_key".
enum class BodyKeyKind : std::uint8_t {
    none,      // no body_key: proxy mode forwards such requests unkeyed (record and replay
               // key the raw bytes)
    raw,       // "raw": the body's bytes
    json,      // "json": its canonical JSON form (src/json/canonical.hpp), less `ignore`
    json_rpc,  // "json_rpc": a JSON-RPC 2.0 call's method and canonical params, never its
               // id; the answer served carries the caller's id
};

struct BodyKeyRules {
    BodyKeyKind kind = BodyKeyKind::none;
    std::vector<std::string> ignore;  // JSON Pointers, as written (parsed in ignore_pointers)
    std::vector<json::JsonPointer> ignore_pointers;
};

struct RouteRules {
    bool bypass = false;           // forwarded, never looked up nor stored (fwd=bypass)
    bool ignore_no_cache = false;  // a request's no-cache does not force validation
    ResponseRules response;        // default_ttl, forced_ttl, the Set-Cookie rules (policy.hpp)
    KeyRules key;
    BodyKeyRules body_key;

    // Whether a rule changes how the request is decided or keyed (else only its response
    // is ruled, and the request takes the path of one without a route).
    bool rule_the_request() const noexcept {
        return bypass || ignore_no_cache || key.changes_key() || body_key.kind != BodyKeyKind::none;
    }
};

struct Route {
    RouteMatch match;
    RouteRules rules;
    // The origin its requests go to: the name as written (empty: the default origin) and
    // its index in Config::origins, resolved when the configuration is read
    // (config/origins.hpp).
    std::string origin;
    std::uint16_t origin_index = 0;
    // --mode replay: the delay of this route's answers, instead of --replay-latency.
    std::optional<replay::LatencyModel> replay_latency;
    // rules.rule_the_request(), computed once when the route is read (config/routes.cpp),
    // so a request matching a route that rules only responses asks one byte.
    bool rules_request = false;
    // The slot of the route's request counters (admin/route_labels.hpp), set for its name
    // when the process takes the configuration (server/config_source.hpp): read by the hit
    // path, one byte beside the pointer it already holds.
    std::uint8_t counter_slot = 0;
    // Its label in cachet_requests_total{route=...} and /stats: the config's "name", or
    // default_route_name(match). Routes that share a name share their counters.
    std::string name;
};

// A route's name when its config gives none: its host and path as written, "/v1/" or
// "api.example.com/v1/*/avatar".
std::string default_route_name(const RouteMatch& match);

// `*` matches any run of characters but '/', `**` any run at all (slashes included).
bool glob_matches(std::string_view pattern, std::string_view path) noexcept;

// Whether a request for host (the Host field as sent, or an absolute-form target's authority)
// and target (as sent) is the route's: host compared case-insensitively without its port or
// a trailing dot, the path (the target before '?' or '#') as sent.
bool route_matches_in_full(const RouteMatch& match, std::string_view host,
                           std::string_view target) noexcept;

// route_matches_in_full, with the common case (any host, an exact or prefix path, an
// origin-form target) inline: every request of a configuration with routes asks it.
inline bool route_matches(const RouteMatch& match, std::string_view host,
                          std::string_view target) noexcept {
    const std::string_view pattern = match.path;
    if (!match.host.empty() || match.kind == PathMatch::glob || target.empty() ||
        target.front() != '/') {
        return route_matches_in_full(match, host, target);
    }
    // A pattern holds no '?' or '#' (config/routes.cpp): a prefix of the target that equals
    // it lies in the path.
    // Both start with '/': the rest is compared byte by byte (patterns are short, and a
    // route that does not match usually differs early), nothing for the pattern "/".
    if (target.size() < pattern.size()) return false;
    for (std::size_t i = 1; i < pattern.size(); ++i) {
        if (target[i] != pattern[i]) return false;
    }
    if (match.kind == PathMatch::prefix || target.size() == pattern.size()) return true;
    const char next = target[pattern.size()];
    return next == '?' || next == '#';
}

// The first route the request matches, or null: the default rules.
inline const Route* match_route(std::span<const Route> routes, std::string_view host,
                                std::string_view target) noexcept {
    for (const Route& route : routes) {
        if (route_matches(route.match, host, target)) return &route;
    }
    return nullptr;
}

// Whether a query parameter name matches a pattern (`*` any run of characters).
bool name_matches(std::string_view pattern, std::string_view name) noexcept;

// A connection's buffers for keying under a route: reused request after request, so they
// stop allocating once grown.
struct RouteKeyScratch {
    std::string target;
    std::vector<std::string_view> parameters;
};

// The target (as sent) with its query rewritten by the rules: parameters dropped or kept by
// name, sorted when asked (by name, then value; otherwise in the order sent), empty and
// repeated ones kept; no '?' when nothing is left. Written into scratch.target.
void normalise_target(RouteKeyScratch& scratch, std::string_view target, const KeyRules& rules);

// The primary key of a request under a route's key rules: build_key over the normalised
// target, followed by the named request fields and cookies (an absent one keys as absent,
// unlike an empty one). Fails as build_key does, and with bad_request when a keyed value
// holds a key separator.
Result<std::string_view> build_route_key(KeyBuffer& out, RouteKeyScratch& scratch,
                                         http::Method method, std::string_view host,
                                         std::string_view target, const KeyRules& rules,
                                         http::HeaderSpan headers);

}  // namespace cachet::cache
