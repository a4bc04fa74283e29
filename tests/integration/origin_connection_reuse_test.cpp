// cachet keeps origin connections alive and reuses them instead of opening one per miss.
#include <doctest/doctest.h>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE("50 sequential misses reuse a few origin connections") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (int i = 0; i < 50; ++i) {
        Reply r = get(cachet.port(), "/reuse/" + std::to_string(i) + "?cc=max-age=60");
        REQUIRE_MESSAGE(r.ok(), "request " << i << ": " << r.describe());
        CHECK(r.status == 200);
    }
    CHECK(origin.total_requests() == 50);
    // One per worker would be ideal; anything near 50 means no reuse.
    CHECK_MESSAGE(origin.connections() <= 10, origin.stats_json());
}

TEST_CASE("an origin connection closed by the origin is replaced, not reused") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // close=1 makes the origin close after each response.
    for (int i = 0; i < 5; ++i) {
        Reply r = get(cachet.port(), "/closing/" + std::to_string(i) + "?close=1&cc=max-age=60");
        REQUIRE_MESSAGE(r.ok(), "request " << i << ": " << r.describe());
        CHECK(r.status == 200);
    }
    CHECK(origin.total_requests() == 5);
}

}  // namespace
}  // namespace cachet::integration
