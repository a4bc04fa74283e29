// Interim (1xx) responses from the origin (RFC 9110 §15.2): relayed to the HTTP/1.1 client
// whose request caused the fetch, as they arrive, without hop-by-hop fields; never to an
// HTTP/1.0 client, never to coalesced waiters or hits, never stored.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/concurrent.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

std::optional<std::string> interim_header(const InterimReply& interim, std::string_view name) {
    for (const auto& [n, v] : interim.headers) {
        if (iequals(n, name)) return v;
    }
    return std::nullopt;
}

const std::string hints =
    "interim=103&interim_header=" + url_encode("Link: </style.css>; rel=preload");

TEST_CASE(
    "a 103 Early Hints reaches the HTTP/1.1 client as it arrives, before the final response "
    "(RFC 9110 §15.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = get(cachet.port(), "/hints?" + hints + "&delay_ms=400&cc=max-age=60");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    REQUIRE(r.interim.size() == 1);
    CHECK(r.interim[0].status == 103);
    CHECK(interim_header(r.interim[0], "Link") == "</style.css>; rel=preload");
    CHECK(interim_header(r.interim[0], "Via") == "1.1 cachet");
    // Relayed when it came, not held for the final response the origin sent 400 ms later.
    CHECK(ms_between(r.interim[0].at, r.done_at) >= 200);
}

TEST_CASE("a relayed interim response loses its hop-by-hop fields (RFC 9110 §7.6.1)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/hop?" + hints +
                               "&interim_header=" + url_encode("Connection: X-Hop") +
                               "&interim_header=" + url_encode("X-Hop: secret") +
                               "&interim_header=" + url_encode("Keep-Alive: timeout=5") +
                               "&interim_header=" + url_encode("X-End-To-End: kept");
    Reply r = get(cachet.port(), target);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    REQUIRE(r.interim.size() == 1);
    CHECK(interim_header(r.interim[0], "X-End-To-End") == "kept");
    CHECK_FALSE(interim_header(r.interim[0], "Connection"));
    CHECK_FALSE(interim_header(r.interim[0], "X-Hop"));
    CHECK_FALSE(interim_header(r.interim[0], "Keep-Alive"));
}

TEST_CASE("an interim response is not stored: a hit gets the final response alone") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/stored?" + hints + "&cc=max-age=60";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(first.interim.size() == 1);
    Reply hit = get(cachet.port(), target);
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK_MESSAGE(cache_status(hit).hit, cache_status(hit).raw);
    CHECK(hit.interim.empty());
    CHECK(hit.body == first.body);
    CHECK(origin.requests("/stored") == 1);
}

TEST_CASE("an HTTP/1.0 client is never sent an interim response (RFC 9110 §15.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = fetch(cachet.port(), "GET /old?" + hints + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CHECK(r.interim.empty());
}

TEST_CASE("coalesced waiters get the final response only: the interim one is the leader's") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/shared?" + hints + "&delay_ms=500&cc=max-age=60";
    std::vector<std::string> requests(8, http_request("GET", target));
    std::vector<Reply> replies = fetch_concurrently(cachet.port(), requests, Deadline::after(10s));
    std::uint64_t fetched = 0;
    int collapsed = 0;
    for (const Reply& r : replies) {
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CacheStatus status = cache_status(r);
        // Each request that reached the origin itself saw the interim response; none other did.
        const bool went_to_origin = !status.collapsed && !status.hit;
        CHECK_MESSAGE(r.interim.size() == (went_to_origin ? 1u : 0u), status.raw);
        fetched += went_to_origin;
        collapsed += status.collapsed;
    }
    CHECK(collapsed > 0);
    CHECK(origin.requests("/shared") == fetched);
}

TEST_CASE("the origin's 100 Continue is not relayed: cachet answers Expect itself") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = get(cachet.port(), "/continue?interim=100&interim=102");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    REQUIRE(r.interim.size() == 1);
    CHECK(r.interim[0].status == 102);
}

TEST_CASE("an unrequested 101 Switching Protocols from the origin is a bad response (502)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = get(cachet.port(), "/switch?interim=101");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 502);
    CHECK(r.interim.empty());
}

}  // namespace
}  // namespace cachet::integration
