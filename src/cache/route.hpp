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

struct RouteRules {
    bool bypass = false;           // forwarded, never looked up nor stored (fwd=bypass)
    bool ignore_no_cache = false;  // a request's no-cache does not force validation
    ResponseRules response;        // default_ttl, forced_ttl, the Set-Cookie rules (policy.hpp)
    KeyRules key;
};

struct Route {
    RouteMatch match;
    RouteRules rules;
};

// `*` matches any run of characters but '/', `**` any run at all (slashes included).
bool glob_matches(std::string_view pattern, std::string_view path) noexcept;

// Whether a request for host (the Host field as sent, or an absolute-form target's authority)
// and target (as sent) is the route's: host compared case-insensitively without its port or
// a trailing dot, the path (the target before '?' or '#') as sent.
bool route_matches(const RouteMatch& match, std::string_view host,
                   std::string_view target) noexcept;

// The first route the request matches, or null: the default rules.
const Route* match_route(std::span<const Route> routes, std::string_view host,
                         std::string_view target) noexcept;

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
