// Large bodies stream through cachet as they arrive (the client is not made to wait for the whole
// body) and are stored intact.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

constexpr std::uint64_t ten_mib = 10 * 1024 * 1024;

TEST_CASE("a 10 MiB body streams to the client before the origin has sent all of it") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // The origin sends the head and 1 MiB, then waits 1.5 s before the remaining 9 MiB.
    const std::string target =
        "/big?cc=max-age=60&size=" + std::to_string(ten_mib) + "&stall_after=1048576&stall_ms=1500";

    Reply r = get(cachet.port(), target, {}, 30s);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CHECK(r.body.size() == ten_mib);
    CHECK(r.body == tools::pattern_bytes(0, ten_mib));
    // Buffering the whole body would deliver the first byte after the stall, with the rest.
    auto streamed_ms = ms_between(r.first_body_at, r.done_at);
    CHECK_MESSAGE(streamed_ms >= 1000,
                  "first body byte arrived only " << streamed_ms << " ms before the last");

    Reply hit = get(cachet.port(), target, {}, 30s);
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK_MESSAGE(cache_status(hit).hit, hit.describe());
    CHECK(hit.body == r.body);
    CHECK(origin.requests("/big") == 1);
}

}  // namespace
}  // namespace cachet::integration
