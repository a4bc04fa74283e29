#include "admin/routes.hpp"

namespace cachet::admin {

RouteMatch match_route(std::span<const Route> routes, http::Method method, std::string_view path) {
    RouteMatch match;
    for (const Route& route : routes) {
        if (route.path != path) continue;
        if (!match.path_known) {
            match.path_known = true;
        } else {
            match.allow += ", ";
        }
        match.allow += http::name(route.method);
        if (route.method == http::Method::get) match.allow += ", HEAD";
        if (!match.route && (route.method == method ||
                             (route.method == http::Method::get && method == http::Method::head))) {
            match.route = &route;
        }
    }
    return match;
}

SplitTarget split_target(std::string_view target) noexcept {
    auto q = target.find('?');
    if (q == std::string_view::npos) return {target, {}};
    return {target.substr(0, q), target.substr(q + 1)};
}

bool has_query_param(std::string_view query, std::string_view name,
                     std::string_view value) noexcept {
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view param = query.substr(0, amp);
        auto eq = param.find('=');
        if (param.substr(0, eq) == name &&
            (eq == std::string_view::npos ? value.empty() : param.substr(eq + 1) == value)) {
            return true;
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

std::optional<std::string_view> query_param(std::string_view query,
                                            std::string_view name) noexcept {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        const auto eq = param.find('=');
        if (param.substr(0, eq) == name) {
            return eq == std::string_view::npos ? std::string_view{} : param.substr(eq + 1);
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

}  // namespace cachet::admin
