// Freshness ends: a response past its max-age goes back to the origin.
#include <doctest/doctest.h>

#include <thread>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE("a response past its max-age is fetched from the origin again") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // max-age=2: a hit right after the miss stays fresh even when a second boundary falls
    // between them (ages are whole seconds; with max-age=1 it would be stale at age 1).
    const std::string target = "/short?cc=max-age=2";

    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    Reply fresh = get(cachet.port(), target);
    REQUIRE_MESSAGE(fresh.ok(), fresh.describe());
    CHECK_MESSAGE(cache_status(fresh).hit, fresh.describe());
    CHECK(origin.requests("/short") == 1);

    // Time passing is the thing under test here, not a synchronisation: HTTP ages are whole
    // seconds, so 3.2 s make the age at least 3, past max-age=2 on any rounding.
    std::this_thread::sleep_for(3200ms);

    Reply stale = get(cachet.port(), target);
    REQUIRE_MESSAGE(stale.ok(), stale.describe());
    CHECK(stale.status == 200);
    CHECK_FALSE(cache_status(stale).hit);
    CHECK(origin.requests("/short") == 2);
    CHECK(stale.header("X-Origin-Seq") != first.header("X-Origin-Seq"));
}

}  // namespace
}  // namespace cachet::integration
