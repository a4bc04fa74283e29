// HEAD gets the GET's headers and no body (RFC 9110 §9.3.2), and the connection stays usable.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

void check_head_then_get(int port, const std::string& target) {
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(port, deadline);
    REQUIRE(conn.connected());
    Reply head = conn.exchange(http_request("HEAD", target), deadline,
                               /*head_request=*/true);
    REQUIRE_MESSAGE(head.ok(), head.describe());
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    if (auto length = head.header("Content-Length")) CHECK(*length == "1000");
    // A body wrongly sent after the HEAD response would be read as the next response here.
    Reply body = conn.exchange(http_request("GET", target), deadline);
    REQUIRE_MESSAGE(body.ok(), body.describe());
    CHECK(body.status == 200);
    CHECK(body.body == tools::pattern_bytes(0, 1000));
}

TEST_CASE("a HEAD request for an uncached URL gets headers without a body") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_head_then_get(cachet.port(), "/head-cold?cc=max-age=60&size=1000");
}

TEST_CASE("a HEAD request for a cached URL gets headers without a body") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    REQUIRE(get(cachet.port(), "/head-warm?cc=max-age=60&size=1000").ok());
    check_head_then_get(cachet.port(), "/head-warm?cc=max-age=60&size=1000");
}

Reply head(int port, const std::string& target, const std::vector<std::string>& headers) {
    return fetch(port, http_request("HEAD", target, headers), 10s, /*head_request=*/true);
}

// RFC 9111 §4.3.5: a 200 to a HEAD that went to the origin (here because the client asked
// for validation) is compared with the stored GET response.
TEST_CASE(
    "a HEAD response with another ETag invalidates the stored GET response (RFC 9111 §4.3.5)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // The origin's ETag comes from the request, so a test can change it between requests.
    const std::string target = "/head-etag?cc=max-age=60&header_from=ETag:X-Test-ETag";
    Reply first = get(cachet.port(), target, {"X-Test-ETag: \"v1\""});
    REQUIRE_MESSAGE(first.ok(), first.describe());
    REQUIRE_MESSAGE(cache_status(first).stored, cache_status(first).raw);

    Reply same = head(cachet.port(), target, {"Cache-Control: no-cache", "X-Test-ETag: \"v1\""});
    REQUIRE_MESSAGE(same.ok(), same.describe());
    Reply still = get(cachet.port(), target);
    REQUIRE_MESSAGE(still.ok(), still.describe());
    CHECK_MESSAGE(cache_status(still).hit, cache_status(still).raw);
    CHECK(origin.requests("/head-etag") == 2);

    Reply changed = head(cachet.port(), target, {"Cache-Control: no-cache", "X-Test-ETag: \"v2\""});
    REQUIRE_MESSAGE(changed.ok(), changed.describe());
    CHECK(changed.header("ETag") == "\"v2\"");
    Reply refetched = get(cachet.port(), target, {"X-Test-ETag: \"v2\""});
    REQUIRE_MESSAGE(refetched.ok(), refetched.describe());
    CHECK_MESSAGE(cache_status(refetched).miss(), cache_status(refetched).raw);
    CHECK(refetched.header("ETag") == "\"v2\"");
    CHECK(origin.requests("/head-etag") == 4);
}

TEST_CASE(
    "a HEAD response that agrees with the stored GET response updates its fields (RFC 9111 "
    "§4.3.5)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // Same ETag and length every time; X-Rev comes from the request, so the HEAD's differs.
    const std::string target =
        "/head-agree?cc=max-age=60&etag=%22v1%22&header_from=X-Rev:X-Test-Rev";
    Reply first = get(cachet.port(), target, {"X-Test-Rev: 1"});
    REQUIRE_MESSAGE(first.ok(), first.describe());
    REQUIRE(first.header("X-Rev") == "1");

    Reply headed = head(cachet.port(), target, {"Cache-Control: no-cache", "X-Test-Rev: 2"});
    REQUIRE_MESSAGE(headed.ok(), headed.describe());
    CHECK(headed.header("X-Rev") == "2");

    Reply after = get(cachet.port(), target);
    REQUIRE_MESSAGE(after.ok(), after.describe());
    CHECK_MESSAGE(cache_status(after).hit, cache_status(after).raw);
    CHECK(after.header("X-Rev") == "2");
    CHECK(after.body == first.body);
    CHECK(origin.requests("/head-agree") == 2);
}

TEST_CASE(
    "a HEAD response with another Content-Length invalidates the stored GET response "
    "(RFC 9111 §4.3.5)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // echo=1: the body lists the request's fields, so a longer request makes a longer body.
    const std::string target = "/head-length?cc=max-age=60&echo=1";
    REQUIRE(get(cachet.port(), target).ok());
    Reply hit = get(cachet.port(), target);
    REQUIRE_MESSAGE(cache_status(hit).hit, cache_status(hit).raw);

    Reply longer =
        head(cachet.port(), target, {"Cache-Control: no-cache", "X-Padding: some more bytes"});
    REQUIRE_MESSAGE(longer.ok(), longer.describe());
    REQUIRE(longer.header("Content-Length") != std::to_string(hit.body.size()));
    Reply after = get(cachet.port(), target);
    REQUIRE_MESSAGE(after.ok(), after.describe());
    CHECK_MESSAGE(cache_status(after).miss(), cache_status(after).raw);
    CHECK(origin.requests("/head-length") == 3);
}

}  // namespace
}  // namespace cachet::integration
