// Targeted cache-control fields (RFC 9213): Cachet-Cache-Control over CDN-Cache-Control
// over Cache-Control for cachet's own decisions.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE(
    "CDN-Cache-Control lets cachet store what Cache-Control keeps from browsers (RFC 9213 §2.1)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target =
        "/cdn?cc=no-store&header=" + url_encode("CDN-Cache-Control:max-age=60");
    REQUIRE(get(cachet.port(), target).ok());
    Reply second = get(cachet.port(), target);
    REQUIRE_MESSAGE(second.ok(), second.describe());
    CHECK_MESSAGE(cache_status(second).hit, second.describe());
    CHECK(second.header("Cache-Control") == "no-store");
    CHECK(second.header("CDN-Cache-Control") == "max-age=60");
    CHECK(origin.requests("/cdn") == 1);
}

TEST_CASE("Cachet-Cache-Control outranks CDN-Cache-Control and is not passed on (RFC 9213 §2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target =
        "/own?cc=max-age=60&header=" + url_encode("CDN-Cache-Control:max-age=60") +
        "&header=" + url_encode("Cachet-Cache-Control:no-store");
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK_FALSE(first.header("Cachet-Cache-Control").has_value());
    CHECK(first.header("CDN-Cache-Control") == "max-age=60");
    Reply second = get(cachet.port(), target);
    REQUIRE_MESSAGE(second.ok(), second.describe());
    CHECK_FALSE(cache_status(second).hit);
    CHECK(origin.requests("/own") == 2);
}

}  // namespace
}  // namespace cachet::integration
