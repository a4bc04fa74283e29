// Concurrent misses for one key are collapsed into one origin fetch, and misses that cannot be
// collapsed (the response turns out not storable) are released at once, not queued.
#include <doctest/doctest.h>

#include <set>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/concurrent.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE("500 concurrent misses for one cold key reach the origin once") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/cold?cc=max-age=60&delay_ms=300&size=2000";
    std::vector<std::string> requests(500, http_request("GET", target));

    auto replies = fetch_concurrently(cachet.port(), requests, Deadline::after(30s));

    std::size_t ok = 0;
    std::size_t fetched = 0;  // misses that were neither collapsed nor hits: the fill itself
    std::set<std::string> bodies;
    for (const auto& r : replies) {
        if (!r.ok() || r.status != 200) {
            FAIL_CHECK(r.describe());
            continue;
        }
        ++ok;
        bodies.insert(r.body);
        CacheStatus s = cache_status(r);
        CHECK_MESSAGE((s.hit || s.miss()), s.raw);
        if (s.miss() && !s.collapsed) ++fetched;
    }
    CHECK(ok == 500);
    CHECK(bodies.size() == 1);
    CHECK(origin.requests("/cold") == 1);
    CHECK(fetched == 1);
}

TEST_CASE("concurrent misses for a no-store response are released at once, not queued") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    std::vector<std::string> requests(20, http_request("GET", "/live?cc=no-store&delay_ms=300"));

    auto started = Clock::now();
    auto replies = fetch_concurrently(cachet.port(), requests, Deadline::after(20s));
    auto elapsed = ms_between(started, Clock::now());

    for (const auto& r : replies) {
        CHECK_MESSAGE((r.ok() && r.status == 200), r.describe());
        CHECK_MESSAGE(!cache_status(r).stored, r.describe());
    }
    // One after another would take 20 x 300 ms; waiters released when the first response turns out
    // unstorable go to the origin together.
    CHECK_MESSAGE(elapsed < 3000, "20 no-store misses took " << elapsed << " ms");
    CHECK(origin.requests("/live") == 20);
}

TEST_CASE("misses for different keys do not wait for each other") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    std::vector<std::string> requests;
    for (int i = 0; i < 50; ++i) {
        requests.push_back(
            http_request("GET", "/k/" + std::to_string(i) + "?cc=max-age=60&delay_ms=300"));
    }
    auto started = Clock::now();
    auto replies = fetch_concurrently(cachet.port(), requests, Deadline::after(20s));
    auto elapsed = ms_between(started, Clock::now());
    for (const auto& r : replies) CHECK_MESSAGE((r.ok() && r.status == 200), r.describe());
    CHECK_MESSAGE(elapsed < 3000, "50 distinct misses took " << elapsed << " ms");
    CHECK(origin.total_requests() == 50);
}

}  // namespace
}  // namespace cachet::integration
