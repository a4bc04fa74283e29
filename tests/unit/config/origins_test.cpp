#include "config/origins.hpp"

#include <doctest/doctest.h>

#include "config/routes.hpp"

using namespace cachet;
using namespace cachet::config;

namespace {

std::string error_of(std::string_view json) {
    auto specs = parse_origins(json);
    return specs ? std::string("(no error)") : specs.error();
}

// The origins of a config whose flags are c's, from the file's `origins` (json).
Config resolved(std::string_view json, Config c = {}) {
    auto specs = parse_origins(json);
    REQUIRE_MESSAGE(specs.has_value(), specs.error());
    const std::string err = resolve_origins(c, *specs);
    REQUIRE_MESSAGE(err.empty(), err);
    return c;
}

}  // namespace

TEST_CASE("an origin is one or more servers with settings of its own") {
    const Config c = resolved(R"({"api": {"servers": ["http://10.0.0.1:8080", "http://b:81"],
                                          "connect_timeout": "500ms", "keepalive": 8,
                                          "max_fails": 2, "fail_timeout": "30s"},
                                  "img": {"servers": "http://127.0.0.1:9000"}})");
    REQUIRE(c.origins.size() == 2);
    const Origin& api = c.origins[0];
    CHECK(api.name == "api");
    REQUIRE(api.servers.size() == 2);
    CHECK(api.servers[0].host == "10.0.0.1");
    CHECK(api.servers[1].authority == "b:81");
    CHECK(api.connect_timeout == 500);
    CHECK(api.keepalive == 8);
    CHECK(api.max_fails == 2);
    CHECK(api.fail_timeout == 30'000);
    CHECK(c.origins[1].servers.size() == 1);  // one server, written as a string
    // No origin called "default": the first is the default.
    CHECK(c.default_origin == 0);
}

TEST_CASE("what an origin leaves out is the flag's") {
    Config flags;
    flags.connect_timeout = 750;
    flags.first_byte_timeout = 4'000;
    flags.origin_idle_timeout = 9'000;
    flags.origin_keepalive = 5;
    flags.origin_max_fails = 7;
    flags.origin_fail_timeout = 1'000;
    const Config c =
        resolved(R"({"a": {"servers": ["http://127.0.0.1:1"], "idle_timeout": "2s"}})", flags);
    const Origin& a = c.origins[0];
    CHECK(a.connect_timeout == 750);
    CHECK(a.first_byte_timeout == 4'000);
    CHECK(a.idle_timeout == 2'000);
    CHECK(a.keepalive == 5);
    CHECK(a.max_fails == 7);
    CHECK(a.fail_timeout == 1'000);
}

TEST_CASE("--origin is the origin \"default\", first unless the file has one") {
    Config flags;
    flags.origin = {"127.0.0.1", 9000, "127.0.0.1:9000"};
    flags.origin_set = true;
    Config added = resolved(R"({"api": {"servers": ["http://10.0.0.1"]}})", flags);
    REQUIRE(added.origins.size() == 2);
    CHECK(added.origins[0].name == "default");
    CHECK(added.origins[0].servers[0].authority == "127.0.0.1:9000");
    CHECK(added.default_origin == 0);

    Config replaced = resolved(R"({"api": {"servers": ["http://10.0.0.1"]},
                                   "default": {"servers": ["http://10.0.0.2", "http://10.0.0.3"],
                                               "keepalive": 3}})",
                               flags);
    REQUIRE(replaced.origins.size() == 2);
    CHECK(replaced.default_origin == 1);
    REQUIRE(replaced.origins[1].servers.size() == 1);  // the flag's server replaces the file's
    CHECK(replaced.origins[1].servers[0].authority == "127.0.0.1:9000");
    CHECK(replaced.origins[1].keepalive == 3);  // and the file's settings stay

    Config alone;
    alone.origin = flags.origin;
    alone.origin_set = true;
    CHECK(resolve_origins(alone, {}).empty());
    CHECK(alone.origins.size() == 1);
    Config none;
    CHECK(resolve_origins(none, {}) ==
          "--origin: required, e.g. --origin http://127.0.0.1:9000 (or origins in the config "
          "file)");
}

TEST_CASE("a route names its origin; without one it goes to the default") {
    Config c;
    auto routes = parse_routes(R"([{"match": {"path_prefix": "/img/"}, "origin": "img"},
                                   {"match": {"path_prefix": "/"}}])");
    REQUIRE(routes.has_value());
    c.routes = *routes;
    c = resolved(R"({"img": {"servers": ["http://127.0.0.1:2"]},
                     "default": {"servers": ["http://127.0.0.1:1"]}})",
                 c);
    CHECK(c.routes[0].origin_index == 0);
    CHECK(c.routes[1].origin_index == 1);
    CHECK(c.default_origin == 1);

    Config unknown;
    unknown.routes = *routes;
    auto specs = parse_origins(R"({"images": {"servers": ["http://127.0.0.1:2"]}})");
    REQUIRE(specs.has_value());
    CHECK(resolve_origins(unknown, *specs) ==
          "routes[0].origin: no origin named \"img\" (origins: \"images\")");
}

TEST_CASE("a bad origin is refused with the path of the field and what was expected") {
    CHECK(error_of(R"([])") ==
          "origins: expected an object of origins by name, like {\"api\": {\"servers\": [...]}}, "
          "got an array");
    CHECK(error_of(R"({})") == "origins: expected at least one origin");
    CHECK(error_of(R"({"a b": {"servers": ["http://x"]}})") ==
          "origins.a b: expected a name of letters, digits, '_', '-' or '.' (at most 64)");
    CHECK(error_of(R"({"a": {"servers": ["http://x"]}, "a": {"servers": ["http://y"]}})") ==
          "origins.a: given twice");
    CHECK(error_of(R"({"a": {}})") ==
          "origins.a: expected servers, e.g. {\"servers\": [\"http://127.0.0.1:9000\"]}");
    CHECK(error_of(R"({"a": {"servers": []}})") ==
          "origins.a.servers: expected an array of one or more server URLs, got an array");
    CHECK(error_of(R"({"a": {"servers": ["http://x", "ftp://y"]}})") ==
          "origins.a.servers[1]: expected a URL starting with http:// or https://, got "
          "\"ftp://y\"");
    CHECK(error_of(R"({"a": {"servers": ["http://x:0"]}})") ==
          "origins.a.servers[0]: expected a port from 1 to 65535, got \"http://x:0\"");
    CHECK(error_of(R"({"a": {"servers": [7]}})") ==
          "origins.a.servers[0]: expected a URL like \"http://127.0.0.1:9000\", got the number 7");
    CHECK(error_of(R"({"a": {"servers": ["http://x"], "connect_timeout": "thirty"}})") ==
          "origins.a.connect_timeout: expected a duration like 500ms, 2s or 1m, got \"thirty\"");
    CHECK(error_of(R"({"a": {"servers": ["http://x"], "keepalive": -1}})") ==
          "origins.a.keepalive: expected a whole number from 0 to 65536, got the number -1");
    CHECK(error_of(R"({"a": {"servers": ["http://x"], "max_fails": 1001}})") ==
          "origins.a.max_fails: expected a whole number from 0 to 1000, got the number 1001");
    CHECK(error_of(R"({"a": {"servers": ["http://x"], "weight": 2}})") ==
          "origins.a.weight: unknown field (an origin takes servers, connect_timeout, "
          "first_byte_timeout, idle_timeout, keepalive, max_fails, fail_timeout)");
}

TEST_CASE("origins_json reads back to the same origins") {
    const Config c = resolved(R"({"api": {"servers": ["http://10.0.0.1:8080", "http://[::1]:81"],
                                          "first_byte_timeout": "1500ms"}})");
    const std::string json = origins_json(c.origins);
    const Config again = resolved(json);
    REQUIRE(again.origins.size() == 1);
    CHECK(again.origins[0].servers.size() == 2);
    CHECK(again.origins[0].servers[1].host == "::1");
    CHECK(again.origins[0].first_byte_timeout == 1'500);
    CHECK(origins_json(again.origins) == json);
}
