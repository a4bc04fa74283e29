#pragma once
// The config file's `routes`: a JSON array of {match, rules} objects (docs/configuration.md,
// "Routes") read into cache::Route values, and written back for --print-config. Errors name
// the path of the field, e.g. `routes[2].default_ttl: expected a duration like 500ms, 2s or
// 1m, got "thirty"`; flags.cpp puts the file's name in front.
#include <string>
#include <string_view>
#include <vector>

#include "cache/route.hpp"
#include "util/result.hpp"

namespace cachet::config {

using RoutesResult = tl::expected<std::vector<cache::Route>, std::string>;

// `json`: the field's value as written (an array).
RoutesResult parse_routes(std::string_view json);

// The routes as one line of JSON that parse_routes reads back to the same routes.
std::string routes_json(const std::vector<cache::Route>& routes);

}  // namespace cachet::config
