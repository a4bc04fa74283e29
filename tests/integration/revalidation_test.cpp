// A stale stored response is revalidated with its validators instead of refetched, and
// stands in for the origin where its directives allow (RFC 9111 §4.3, RFC 5861).
#include <doctest/doctest.h>

#include <thread>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

// HTTP ages are whole seconds: 2.2 s of waiting puts a max-age=1 response past its
// freshness on any rounding. Time passing is what these tests are about.
void let_it_go_stale() { std::this_thread::sleep_for(2200ms); }
// The same for max-age=2, for a test that needs a refreshed entry to stay fresh across the
// next second boundary.
void let_it_go_stale_past_two() { std::this_thread::sleep_for(3200ms); }

bool wait_for_requests(const TestOrigin& origin, std::string_view path, std::uint64_t count,
                       Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (origin.requests(path) >= count) return true;
        std::this_thread::sleep_for(20ms);  // polling the origin's own counter, bounded
    }
    return false;
}

TEST_CASE("a stale response with an ETag is revalidated and a 304 refreshes it (RFC 9111 §4.3.4)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/doc?cc=max-age=2&etag=%22v1%22&size=3000";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());

    let_it_go_stale_past_two();
    Reply revalidated = get(cachet.port(), target);
    REQUIRE_MESSAGE(revalidated.ok(), revalidated.describe());
    CHECK(revalidated.status == 200);
    CHECK(revalidated.body == first.body);
    CacheStatus status = cache_status(revalidated);
    CHECK_MESSAGE(status.fwd == "stale", status.raw);
    CHECK_MESSAGE(status.raw.find("fwd-status=304") != std::string::npos, status.raw);
    CHECK(origin.requests("/doc") == 2);

    Reply after = get(cachet.port(), target);
    REQUIRE_MESSAGE(after.ok(), after.describe());
    CHECK_MESSAGE(cache_status(after).hit, after.describe());
    CHECK(after.body == first.body);
    CHECK(origin.requests("/doc") == 2);
}

TEST_CASE(
    "a revalidation answered with a new 200 replaces the entry and says fwd=stale (RFC 9211 "
    "§2.2)") {
    // no-cache: stored, and revalidated on every use, so no waiting for staleness. The
    // origin takes its ETag from the request's X-Version, and answers 200 to anything.
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/changing?cc=no-cache&header_from=ETag:X-Version";
    Reply first = get(cachet.port(), target, {"X-Version: \"v1\""});
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(cache_status(first).stored);

    Reply changed = get(cachet.port(), target, {"X-Version: \"v2\""});
    REQUIRE_MESSAGE(changed.ok(), changed.describe());
    CHECK(changed.header("ETag") == "\"v2\"");
    CacheStatus status = cache_status(changed);
    CHECK_MESSAGE(status.fwd == "stale", status.raw);
    CHECK_MESSAGE(status.raw.find("fwd-status=200") != std::string::npos, status.raw);
    CHECK_MESSAGE(status.stored, status.raw);
    CHECK(origin.requests("/changing") == 2);
}

TEST_CASE(
    "stale-while-revalidate serves the stale response at once and refreshes it once (RFC 5861 "
    "§3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/swr?cc=max-age=1,stale-while-revalidate=60";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());

    let_it_go_stale();
    for (int i = 0; i < 5; ++i) {
        Reply stale = get(cachet.port(), target);
        REQUIRE_MESSAGE(stale.ok(), stale.describe());
        CacheStatus status = cache_status(stale);
        CHECK_MESSAGE(status.hit, status.raw);
        if (i == 0) CHECK(stale.header("X-Origin-Seq") == first.header("X-Origin-Seq"));
    }
    REQUIRE(wait_for_requests(origin, "/swr", 2, 5s));
    Reply refreshed = get(cachet.port(), target);
    REQUIRE_MESSAGE(refreshed.ok(), refreshed.describe());
    CHECK_MESSAGE(cache_status(refreshed).hit, refreshed.describe());
    CHECK(refreshed.header("X-Origin-Seq") != first.header("X-Origin-Seq"));
    CHECK(origin.requests("/swr") == 2);
}

TEST_CASE("stale-if-error stands in for an origin that is down (RFC 5861 §4)") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--connect-timeout", "500ms"});
    const std::string target = "/sie?cc=max-age=1,stale-if-error=60";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());

    let_it_go_stale();
    origin.stop();
    Reply r = get(cachet.port(), target);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CHECK(r.body == first.body);
    CacheStatus status = cache_status(r);
    CHECK_MESSAGE(status.fwd == "stale", status.raw);
    CHECK_MESSAGE(status.detail == "stale-if-error", status.raw);
}

TEST_CASE("without stale-if-error an origin that is down gets a 502, not the stale response") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/nosie?cc=max-age=1";
    REQUIRE(get(cachet.port(), target).ok());
    let_it_go_stale();
    origin.stop();
    Reply r = get(cachet.port(), target);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 502);
}

TEST_CASE(
    "a client's max-stale accepts a stale response without asking the origin (RFC 9111 §5.2.1.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/maxstale?cc=max-age=1";
    REQUIRE(get(cachet.port(), target).ok());
    let_it_go_stale();
    Reply r = get(cachet.port(), target, {"Cache-Control: max-stale=60"});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK_MESSAGE(cache_status(r).hit, r.describe());
    CHECK(origin.requests("/maxstale") == 1);

    Reply strict = get(cachet.port(), "/maxstale?cc=max-age=1,must-revalidate");
    REQUIRE(strict.ok());
    let_it_go_stale();
    Reply refused = get(cachet.port(), "/maxstale?cc=max-age=1,must-revalidate",
                        {"Cache-Control: max-stale=60"});
    REQUIRE_MESSAGE(refused.ok(), refused.describe());
    CHECK_FALSE(cache_status(refused).hit);
    CHECK(origin.requests("/maxstale") == 3);
}

}  // namespace
}  // namespace cachet::integration
