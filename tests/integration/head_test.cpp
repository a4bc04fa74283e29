// HEAD gets the GET's headers and no body (RFC 9110 §9.3.2), and the connection stays usable.
#include <doctest/doctest.h>

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

}  // namespace
}  // namespace cachet::integration
