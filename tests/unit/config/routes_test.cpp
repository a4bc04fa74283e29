#include "config/routes.hpp"

#include <doctest/doctest.h>

using namespace cachet;
using namespace cachet::config;

namespace {

std::string error_of(std::string_view json) {
    auto routes = parse_routes(json);
    return routes ? std::string("(no error)") : routes.error();
}

}  // namespace

TEST_CASE("routes read match and rules, in order") {
    auto routes = parse_routes(R"([
        {"match": {"path": "/v1/users"}, "bypass": true},
        {"match": {"host": "Api.Example.com.", "path_prefix": "/v1/"}, "default_ttl": "500ms",
         "forced_ttl": 60, "ignore_no_cache": true, "store_set_cookie": true,
         "strip_set_cookie": true},
        {"match": {"path_glob": "/v1/*/avatar"},
         "cache_key": {"query": {"keep": ["page", "q"]}, "sort_query": true}}])");
    REQUIRE_MESSAGE(routes.has_value(), routes.error());
    REQUIRE(routes->size() == 3);
    const auto& r = *routes;
    CHECK(r[0].match.kind == cache::PathMatch::exact);
    CHECK(r[0].rules.bypass);
    CHECK(r[1].match.host == "api.example.com");
    CHECK(r[1].match.kind == cache::PathMatch::prefix);
    CHECK(r[1].rules.response.default_ttl == 1);  // whole seconds, rounded up
    CHECK(r[1].rules.response.forced_ttl == 60);
    CHECK(r[1].rules.ignore_no_cache);
    CHECK(r[1].rules.response.store_set_cookie);
    CHECK(r[1].rules.response.strip_set_cookie);
    CHECK(r[2].match.kind == cache::PathMatch::glob);
    CHECK(r[2].rules.key.query == cache::QueryRule::keep);
    CHECK(r[2].rules.key.patterns == std::vector<std::string>{"page", "q"});
    CHECK(r[2].rules.key.sort_query);
    // Which routes change how the request is decided or keyed, computed once.
    CHECK(r[0].rules_request);
    CHECK(r[1].rules_request);
    CHECK(r[2].rules_request);
    auto responses_only = parse_routes(R"([{"match": {"path": "/"}, "forced_ttl": "1m"}])");
    REQUIRE(responses_only.has_value());
    CHECK_FALSE((*responses_only)[0].rules_request);
}

TEST_CASE("\"tracking\" inside drop stands for the usual tracking parameters") {
    auto routes = parse_routes(R"([{"match": {"path_prefix": "/"},
                                    "cache_key": {"query": {"drop": ["tracking", "ref"]}}}])");
    REQUIRE(routes.has_value());
    const auto& key = (*routes)[0].rules.key;
    CHECK(key.names == std::vector<std::string>{"tracking", "ref"});
    CHECK(key.patterns == std::vector<std::string>{"utm_*", "gclid", "fbclid", "msclkid", "mc_cid",
                                                   "mc_eid", "_ga", "yclid", "ref"});
}

TEST_CASE("a bad route is refused with the path of the field and what was expected") {
    CHECK(error_of(R"({})") == "routes: expected an array of routes, got an object");
    CHECK(
        error_of(R"([1])") ==
        R"(routes[0]: expected an object like {"match": {"path_prefix": "/"}}, got the number 1)");
    CHECK(error_of(R"([{"bypass": true}])") ==
          R"(routes[0]: expected a match, e.g. {"match": {"path_prefix": "/"}})");
    CHECK(
        error_of(R"([{"match": {"path": "/"}}, {"match": {"path": "/a", "path_prefix": "/"}}])") ==
        "routes[1].match: expected exactly one of path, path_prefix, path_glob");
    CHECK(error_of(R"([{"match": {"host": "a"}}])") ==
          "routes[0].match: expected exactly one of path, path_prefix, path_glob");
    CHECK(error_of(R"([{"match": {"path": "v1"}}])") ==
          R"(routes[0].match.path: expected a path starting with /, without ? or #, got "v1")");
    CHECK(
        error_of(R"([{"match": {"path_prefix": "/a?b"}}])") ==
        R"(routes[0].match.path_prefix: expected a path starting with /, without ? or #, got "/a?b")");
    CHECK(error_of(R"([{"match": {"path": "/"}}, {"match": {"path": "/"}}, )"
                   R"({"match": {"path": "/"}, "default_ttl": "thirty"}])") ==
          R"(routes[2].default_ttl: expected a duration like 500ms, 2s or 1m, got "thirty")");
    CHECK(error_of(R"([{"match": {"path": "/"}, "ttl": "1s"}])") ==
          "routes[0].ttl: unknown field (a route takes match, name, origin, bypass, default_ttl, "
          "forced_ttl, "
          "ignore_no_cache, store_set_cookie, strip_set_cookie, cache_key, body_key, "
          "replay_latency)");
    CHECK(error_of(R"([{"match": {"path": "/"}, "bypass": "yes"}])") ==
          R"(routes[0].bypass: expected true or false, got "yes")");
    CHECK(error_of(R"([{"match": {"path": "/", "port": 1}}])") ==
          "routes[0].match.port: unknown field (match takes host and one of path, path_prefix, "
          "path_glob)");
    CHECK(
        error_of(R"([{"match": {"path": "/"}, "cache_key": {"query": "drop"}}])") ==
        R"(routes[0].cache_key.query: expected "drop_all", {"drop": [names]} or {"keep": [names]}, got "drop")");
    CHECK(error_of(R"([{"match": {"path": "/"}, "cache_key": {"query": {"drop": "utm_*"}}}])") ==
          R"(routes[0].cache_key.query.drop: expected an array of parameter names, got "utm_*")");
    CHECK(
        error_of(R"([{"match": {"path": "/"}, "cache_key": {"headers": ["Accept Language"]}}])") ==
        R"(routes[0].cache_key.headers[0]: expected a field name, got "Accept Language")");
    CHECK(error_of(R"([{"match": {"path": "/"}, "cache_key": {"vary": []}}])") ==
          "routes[0].cache_key.vary: unknown field (cache_key takes query, sort_query, headers, "
          "cookies)");
}

TEST_CASE("a route's name labels its counters: as given, or its host and path as written") {
    auto routes = parse_routes(R"([
        {"match": {"path_prefix": "/v1/"}, "name": "api v1"},
        {"match": {"host": "img.example", "path_glob": "/**"}},
        {"match": {"path": "/health"}}])");
    REQUIRE_MESSAGE(routes.has_value(), routes.error());
    CHECK((*routes)[0].name == "api v1");
    CHECK((*routes)[1].name == "img.example/**");
    CHECK((*routes)[2].name == "/health");
    // A default name is not written back: it follows the match.
    CHECK(routes_json(*routes).find("\"name\": \"api v1\"") != std::string::npos);
    CHECK(routes_json(*routes).find("/health\"}, \"name\"") == std::string::npos);

    CHECK(error_of(R"([{"match": {"path": "/"}, "name": ""}])") ==
          R"(routes[0].name: expected a name of 1 to 64 printable characters, like "api", got "")");
    CHECK(
        error_of(R"([{"match": {"path": "/"}, "name": 3}])") ==
        R"(routes[0].name: expected a name of 1 to 64 printable characters, like "api", got the number 3)");
    CHECK(error_of(R"([{"match": {"path": "/"}, "name": "none"}])")
              .starts_with(R"(routes[0].name: "none" is cachet's own label)"));
    CHECK(error_of(R"([{"match": {"path": "/"}, "name": "other"}])")
              .starts_with(R"(routes[0].name: "other" is cachet's own label)"));
}

TEST_CASE("routes written back read the same") {
    const std::string json =
        R"([{"match": {"host": "a.example", "path": "/x"}, "name": "x", "bypass": true}, )"
        R"({"match": {"path_glob": "/**"}, "default_ttl": "2m", "forced_ttl": "1h", )"
        R"("ignore_no_cache": true, "store_set_cookie": true, "strip_set_cookie": true, )"
        R"("cache_key": {"query": {"keep": ["q"]}, "sort_query": true, "headers": ["X-A"], )"
        R"("cookies": ["c"]}}])";
    auto routes = parse_routes(json);
    REQUIRE_MESSAGE(routes.has_value(), routes.error());
    CHECK(routes_json(*routes) == json);
    CHECK(routes_json({}) == "[]");
}
