#include "proxy/origin_set.hpp"

#include <doctest/doctest.h>

#include <netinet/in.h>

using namespace cachet;
using namespace cachet::proxy;

namespace {

Origin origin_of(std::string name, std::initializer_list<std::uint16_t> ports) {
    Origin o;
    o.name = std::move(name);
    for (auto port : ports) {
        o.servers.push_back({"127.0.0.1", port, "127.0.0.1:" + std::to_string(port)});
    }
    return o;
}

std::unique_ptr<OriginSet> set_of(const std::vector<Origin>& origins) {
    auto set = OriginSet::resolve(origins);
    REQUIRE_MESSAGE(set.has_value(), set.error());
    return std::move(*set);
}

}  // namespace

TEST_CASE("a server is in rotation until max_fails failures in a row, and again after") {
    CHECK(in_rotation(0, 0, 0, 3));
    CHECK(in_rotation(2, 0, 0, 3));
    CHECK_FALSE(in_rotation(3, 1'000, 999, 3));
    CHECK(in_rotation(3, 1'000, 1'000, 3));  // fail_timeout over: tried again
    CHECK(in_rotation(50, 1'000, 0, 0));     // max_fails 0: health not tracked

    ServerHealth health;
    CHECK_FALSE(health.failed(100, 2, 500));
    CHECK(health.in_rotation(100, 2));
    CHECK(health.failed(110, 2, 500));  // the second in a row: left out
    CHECK_FALSE(health.in_rotation(609, 2));
    CHECK(health.in_rotation(610, 2));
    CHECK(health.failed(620, 2, 500));  // the trial fails: out again
    CHECK_FALSE(health.in_rotation(1'119, 2));
    CHECK_FALSE(health.failed(700, 2, 500));  // already out: not "left out" once more
    health.succeeded();
    CHECK(health.failures() == 0);
    CHECK(health.in_rotation(700, 2));
}

TEST_CASE("servers are numbered across origins, each knowing its origin") {
    auto set = set_of({origin_of("a", {1, 2}), origin_of("b", {3})});
    CHECK(set->server_count() == 3);
    CHECK(set->origin_count() == 2);
    CHECK(set->first_server(1) == 2);
    CHECK(set->servers_of(0) == 2);
    CHECK(set->server(2).origin == 1);
    CHECK(set->server(2).index == 2);
    CHECK(set->server(1).authority == "127.0.0.1:2");
    const auto* in = reinterpret_cast<const sockaddr_in*>(&set->server(1).address);
    CHECK(in->sin_family == AF_INET);
    CHECK(ntohs(in->sin_port) == 2);
}

TEST_CASE("choose takes the first server in rotation from the turn on") {
    auto set = set_of({origin_of("z", {9}), origin_of("a", {1, 2, 3})});
    CHECK(set->choose(1, 0, 0, 3) == 1);
    CHECK(set->choose(1, 2, 0, 3) == 3);
    // The server at the turn left out: the next one; the rotation wraps.
    set->server(3).health.failed(0, 1, 1'000);
    CHECK(set->choose(1, 2, 10, 1) == 1);
    set->server(1).health.failed(0, 1, 1'000);
    CHECK(set->choose(1, 2, 10, 1) == 2);
    // All left out: the one at the turn all the same.
    set->server(2).health.failed(0, 1, 1'000);
    CHECK(set->choose(1, 1, 10, 1) == 2);
    // Their time out is over: back in rotation.
    CHECK(set->choose(1, 2, 1'000, 1) == 3);
}

TEST_CASE("a server that does not resolve is named with its origin") {
    Origin bad;
    bad.name = "api";
    bad.servers.push_back({"no-such-host.invalid", 80, "no-such-host.invalid"});
    auto set = OriginSet::resolve({bad});
    REQUIRE_FALSE(set.has_value());
    CHECK(set.error().rfind("origin api, server http://no-such-host.invalid: cannot resolve "
                            "\"no-such-host.invalid\"",
                            0) == 0);
}
