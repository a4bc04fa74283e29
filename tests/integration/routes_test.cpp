// Routes (docs/configuration.md, "Routes") on the real binary: a --config file's routes give
// requests their cache rules, chosen by host and path, the first match winning.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

// A cachet in front of `origin` with these routes (a JSON array).
struct Routed {
    Routed(const TestOrigin& origin, const std::string& routes)
        : file(R"({"routes": )" + routes + "}"), cachet(origin.url(), {"--config", file.path()}) {}
    ConfigFile file;
    Cachet cachet;
    int port() const { return cachet.port(); }
};

Reply must_get(int port, std::string_view target, const std::vector<std::string>& headers = {}) {
    Reply reply = get(port, target, headers);
    REQUIRE_MESSAGE(reply.ok(), reply.describe());
    REQUIRE(reply.status == 200);
    return reply;
}

Reply with_host(int port, std::string_view host, std::string_view target) {
    Reply reply = fetch(port, "GET " + std::string(target) +
                                  " HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n");
    REQUIRE_MESSAGE(reply.ok(), reply.describe());
    return reply;
}

TEST_CASE("a bypass route is forwarded every time, never stored, with fwd=bypass") {
    TestOrigin origin;
    Routed routed(origin, R"([{"match": {"path_prefix": "/private/"}, "bypass": true}])");
    for (int i = 0; i < 2; ++i) {
        Reply reply = must_get(routed.port(), "/private/a?cc=max-age=60");
        CHECK_MESSAGE(cache_status(reply).bypass(), reply.describe());
        CHECK_FALSE(cache_status(reply).stored);
    }
    CHECK(origin.requests("/private/a") == 2);
    // Outside the route, the same response is stored as ever.
    must_get(routed.port(), "/public?cc=max-age=60");
    CHECK(cache_status(must_get(routed.port(), "/public?cc=max-age=60")).hit);
    CHECK(origin.requests("/public") == 1);
}

TEST_CASE("default_ttl stores a response that gives no freshness, until it expires") {
    TestOrigin origin;
    // 2 s: the hit right after the miss stays fresh across a second boundary.
    Routed routed(origin, R"([{"match": {"path_prefix": "/d/"}, "default_ttl": "2s"}])");
    Reply first = must_get(routed.port(), "/d/x");
    CHECK_MESSAGE(cache_status(first).stored, first.describe());
    CHECK(cache_status(must_get(routed.port(), "/d/x")).hit);
    CHECK(origin.requests("/d/x") == 1);
    // Without the route, no freshness means not stored.
    must_get(routed.port(), "/plain");
    CHECK_FALSE(cache_status(must_get(routed.port(), "/plain")).hit);
    CHECK(origin.requests("/plain") == 2);
    // Whole seconds: 3.2 s are past a 2 s lifetime on any rounding.
    std::this_thread::sleep_for(3200ms);
    CHECK_FALSE(cache_status(must_get(routed.port(), "/d/x")).hit);
    CHECK(origin.requests("/d/x") == 2);
}

TEST_CASE("forced_ttl overrides the origin's max-age=1") {
    TestOrigin origin;
    Routed routed(origin, R"([{"match": {"path_prefix": "/f/"}, "forced_ttl": "1m"}])");
    Reply first = must_get(routed.port(), "/f/x?cc=max-age=1");
    CHECK_MESSAGE(cache_status(first).stored, first.describe());
    std::this_thread::sleep_for(2200ms);
    Reply later = must_get(routed.port(), "/f/x?cc=max-age=1");
    CHECK_MESSAGE(cache_status(later).hit, later.describe());
    CHECK(origin.requests("/f/x") == 1);
    // no-store still wins.
    must_get(routed.port(), "/f/y?cc=no-store");
    CHECK_FALSE(cache_status(must_get(routed.port(), "/f/y?cc=no-store")).hit);
    CHECK(origin.requests("/f/y") == 2);
}

TEST_CASE("ignore_no_cache serves a hit to a no-cache request") {
    TestOrigin origin;
    Routed routed(origin, R"([{"match": {"path_prefix": "/n/"}, "ignore_no_cache": true}])");
    must_get(routed.port(), "/n/x?cc=max-age=60");
    Reply no_cache = must_get(routed.port(), "/n/x?cc=max-age=60", {"Cache-Control: no-cache"});
    CHECK_MESSAGE(cache_status(no_cache).hit, no_cache.describe());
    Reply pragma = must_get(routed.port(), "/n/x?cc=max-age=60", {"Pragma: no-cache"});
    CHECK_MESSAGE(cache_status(pragma).hit, pragma.describe());
    CHECK(origin.requests("/n/x") == 1);
    // Elsewhere no-cache goes to the origin.
    must_get(routed.port(), "/other?cc=max-age=60");
    must_get(routed.port(), "/other?cc=max-age=60", {"Cache-Control: no-cache"});
    CHECK(origin.requests("/other") == 2);
}

TEST_CASE("strip_set_cookie stores the response without the cookie the first client got") {
    TestOrigin origin;
    Routed routed(origin, R"([{"match": {"path_prefix": "/c/"}, "strip_set_cookie": true}])");
    Reply first = must_get(routed.port(), "/c/x?cc=max-age=60&set_cookie=1");
    CHECK_MESSAGE(first.header("Set-Cookie").has_value(), first.describe());
    CHECK_MESSAGE(cache_status(first).stored, first.describe());
    Reply hit = must_get(routed.port(), "/c/x?cc=max-age=60&set_cookie=1");
    CHECK_MESSAGE(cache_status(hit).hit, hit.describe());
    CHECK_FALSE(hit.header("Set-Cookie").has_value());
    CHECK(origin.requests("/c/x") == 1);
    // Without the route a Set-Cookie response is not stored.
    Reply plain = must_get(routed.port(), "/elsewhere?cc=max-age=60&set_cookie=1");
    CHECK(cache_status(plain).detail == "set-cookie");
}

TEST_CASE("dropped tracking parameters: /p?utm_source=x&id=1 and /p?id=1 share an entry") {
    TestOrigin origin;
    Routed routed(origin, R"([{"match": {"path": "/p"},
                               "cache_key": {"query": {"drop": ["tracking"]}}}])");
    must_get(routed.port(), "/p?utm_source=x&cc=max-age=60&id=1&gclid=9");
    Reply same = must_get(routed.port(), "/p?cc=max-age=60&id=1");
    CHECK_MESSAGE(cache_status(same).hit, same.describe());
    CHECK_FALSE(cache_status(must_get(routed.port(), "/p?cc=max-age=60&id=2")).hit);
    CHECK(origin.requests("/p") == 2);
}

TEST_CASE("keep-only and sorted queries key by what is left, in order") {
    TestOrigin origin;
    Routed routed(origin, R"([{"match": {"path": "/k"}, "cache_key": {"query": {"keep": ["page"]}}},
                              {"match": {"path": "/s"}, "cache_key": {"sort_query": true}},
                              {"match": {"path": "/u"}}])");
    must_get(routed.port(), "/k?page=1&cc=max-age=60&session=a");
    CHECK(cache_status(must_get(routed.port(), "/k?page=1&cc=max-age=60&session=b")).hit);
    CHECK_FALSE(cache_status(must_get(routed.port(), "/k?page=2&cc=max-age=60")).hit);
    CHECK(origin.requests("/k") == 2);

    must_get(routed.port(), "/s?a=1&cc=max-age=60");
    CHECK(cache_status(must_get(routed.port(), "/s?cc=max-age=60&a=1")).hit);
    CHECK(origin.requests("/s") == 1);
    // Unsorted, the order is part of the key.
    must_get(routed.port(), "/u?a=1&cc=max-age=60");
    CHECK_FALSE(cache_status(must_get(routed.port(), "/u?cc=max-age=60&a=1")).hit);
    CHECK(origin.requests("/u") == 2);
}

TEST_CASE("a header named in cache_key separates entries; absent is its own entry") {
    TestOrigin origin;
    Routed routed(origin,
                  R"([{"match": {"path": "/h"}, "cache_key": {"headers": ["Accept-Language"]}}])");
    const std::string target = "/h?cc=max-age=60";
    must_get(routed.port(), target, {"Accept-Language: en"});
    CHECK_FALSE(cache_status(must_get(routed.port(), target, {"Accept-Language: fr"})).hit);
    CHECK(cache_status(must_get(routed.port(), target, {"Accept-Language: en"})).hit);
    CHECK_FALSE(cache_status(must_get(routed.port(), target)).hit);
    CHECK(cache_status(must_get(routed.port(), target)).hit);
    CHECK(origin.requests("/h") == 3);
}

TEST_CASE("routes are matched in order, the first match winning, by path and host") {
    TestOrigin origin;
    Routed routed(origin, R"([{"match": {"path": "/o/special"}, "bypass": true},
                              {"match": {"host": "api.example.com", "path_prefix": "/"},
                               "bypass": true},
                              {"match": {"path_glob": "/o/**"}, "forced_ttl": "1m"}])");
    for (int i = 0; i < 2; ++i) {
        CHECK(cache_status(must_get(routed.port(), "/o/special?cc=max-age=60")).bypass());
    }
    CHECK(origin.requests("/o/special") == 2);
    // The glob route: forced_ttl stores a response that gives no freshness.
    must_get(routed.port(), "/o/a/b");
    CHECK(cache_status(must_get(routed.port(), "/o/a/b")).hit);
    CHECK(origin.requests("/o/a/b") == 1);
    // The host route: any path on that host, whatever comes after it.
    CHECK(cache_status(with_host(routed.port(), "API.example.com:80", "/o/c")).bypass());
    CHECK(cache_status(with_host(routed.port(), "api.example.com", "/o/c")).bypass());
    CHECK(origin.requests("/o/c") == 2);
    CHECK(cache_status(with_host(routed.port(), "www.example.com", "/o/d")).stored);
    CHECK(cache_status(with_host(routed.port(), "www.example.com", "/o/d")).hit);
}

TEST_CASE("a bad route refuses to start, naming the file and the field") {
    ConfigFile file(R"({"origin": "http://127.0.0.1:9", "listen": "127.0.0.1:0",
                        "routes": [{"match": {"path": "/"}}, {"match": {"path": "/"}},
                                   {"match": {"path": "/"}, "default_ttl": "thirty"}]})");
    RunResult run = run_to_exit({cachet_binary(), "--config", file.path()}, 10s);
    CHECK_MESSAGE((run.status.exited && run.status.code == 2), run.status.describe());
    CHECK_MESSAGE(
        run.err.find(file.path() + ": routes[2].default_ttl: expected a duration like "
                                   "500ms, 2s or 1m, got \"thirty\"") != std::string::npos,
        run.err);
    ConfigFile shown(R"({"origin": "http://127.0.0.1:9",
                         "routes": [{"match": {"path": "/x"}, "bypass": true}]})");
    RunResult printed =
        run_to_exit({cachet_binary(), "--config", shown.path(), "--print-config"}, 10s);
    CHECK_MESSAGE(printed.status.clean(), printed.status.describe() << " " << printed.err);
    CHECK_MESSAGE(
        printed.out.find(
            R"("routes": {"value": [{"match": {"path": "/x"}, "bypass": true}], "source": "file"})") !=
            std::string::npos,
        printed.out);
}

}  // namespace
}  // namespace cachet::integration
