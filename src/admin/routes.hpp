#pragma once
// The admin API's endpoints as one table (admin/endpoints.cpp) and how a request finds its
// row. Matching is pure: tests call it without sockets.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "http/method.hpp"

namespace cachet::admin {

class AdminExchange;
using Handler = void (*)(AdminExchange& exchange);

struct Route {
    http::Method method;
    std::string_view path;  // exact, without the query
    // Changes state: the bearer token (admin/bearer_token.hpp) is checked before the
    // handler runs, and a refused request never reaches it.
    bool mutating;
    Handler handler;
};

struct RouteMatch {
    const Route* route = nullptr;  // null: no route for this method and path
    bool path_known = false;       // the path exists for other methods: 405, with `allow`
    std::string allow;             // "GET, HEAD" for a 405's Allow field
};

// A HEAD matches a GET route (RFC 9110 §9.3.2: answered as GET, without the body).
RouteMatch match_route(std::span<const Route> routes, http::Method method, std::string_view path);

// "/readyz?origins=1" -> path "/readyz", query "origins=1".
struct SplitTarget {
    std::string_view path;
    std::string_view query;
};
SplitTarget split_target(std::string_view target) noexcept;

// Whether the query holds `name=value` among its &-separated parameters.
bool has_query_param(std::string_view query, std::string_view name,
                     std::string_view value) noexcept;

// The value of the first `name=value` among the query's &-separated parameters, as sent
// (not percent-decoded); none when the name is absent.
std::optional<std::string_view> query_param(std::string_view query, std::string_view name) noexcept;

// The endpoints (admin/endpoints.cpp).
std::span<const Route> admin_routes() noexcept;

}  // namespace cachet::admin
