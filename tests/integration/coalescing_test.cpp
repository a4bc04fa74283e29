// Concurrent misses for one key are collapsed into one origin fetch, and misses that cannot be
// collapsed (the response turns out not storable) are released at once, not queued. Whatever
// ends the leader's fetch (an error, a timeout, a response nobody may share, a client gone),
// its waiters get their answer at once: the tests with --coalesce-timeout 30s would take 30 s
// if a path left them to the coalesce timer.
#include <doctest/doctest.h>

#include <set>
#include <thread>

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

// --coalesce-timeout 30s: a waiter left to its coalesce timer answers after 30 s, far past
// every bound below.
const std::vector<std::string> kLongCoalesce = {"--coalesce-timeout", "30s"};

// `count` concurrent misses for `target`; every reply within `bound` of the start.
std::vector<Reply> misses_within(int port, const std::string& target, std::size_t count,
                                 long long bound_ms) {
    std::vector<std::string> requests(count, http_request("GET", target));
    auto started = Clock::now();
    auto replies = fetch_concurrently(port, requests, Deadline::after(20s));
    auto elapsed = ms_between(started, Clock::now());
    CHECK_MESSAGE(elapsed < bound_ms,
                  count << " misses for " << target << " took " << elapsed << " ms");
    return replies;
}

TEST_CASE("concurrent misses for a no-store response are released at once, not queued") {
    TestOrigin origin;
    Cachet cachet(origin.url(), kLongCoalesce);
    // One after another would take 20 x 300 ms; waiters released when the first response turns
    // out unstorable go to the origin together.
    auto replies = misses_within(cachet.port(), "/live?cc=no-store&delay_ms=300", 20, 3000);
    for (const auto& r : replies) {
        CHECK_MESSAGE((r.ok() && r.status == 200), r.describe());
        CHECK_MESSAGE(!cache_status(r).stored, r.describe());
    }
    CHECK(origin.requests("/live") == 20);
}

TEST_CASE("concurrent misses for a response with Set-Cookie are released at once") {
    TestOrigin origin;
    Cachet cachet(origin.url(), kLongCoalesce);
    auto replies =
        misses_within(cachet.port(), "/cookie?cc=max-age=60&set_cookie=1&delay_ms=300", 20, 3000);
    for (const auto& r : replies) {
        CHECK_MESSAGE((r.ok() && r.status == 200), r.describe());
        CHECK_MESSAGE(!cache_status(r).stored, r.describe());
    }
    CHECK(origin.requests("/cookie") == 20);
}

TEST_CASE("waiters on a fetch the origin resets get a 502 at once") {
    TestOrigin origin;
    Cachet cachet(origin.url(), kLongCoalesce);
    auto replies =
        misses_within(cachet.port(), "/reset?reset=1&cc=max-age=60&delay_ms=200", 10, 5000);
    for (const auto& r : replies) CHECK_MESSAGE((r.ok() && r.status == 502), r.describe());
}

TEST_CASE("waiters on a fetch whose origin refuses the connection get a 502 at once") {
    DeadPort dead;
    Cachet cachet("http://127.0.0.1:" + std::to_string(dead.port()), kLongCoalesce);
    auto replies = misses_within(cachet.port(), "/down?cc=max-age=60", 10, 5000);
    for (const auto& r : replies) CHECK_MESSAGE((r.ok() && r.status == 502), r.describe());
}

TEST_CASE("waiters on a fetch that times out get a 504 soon after the leader's") {
    TestOrigin origin;
    std::vector<std::string> flags = kLongCoalesce;
    flags.insert(flags.end(), {"--first-byte-timeout", "300ms"});
    Cachet cachet(origin.url(), flags);
    // The leader's 504 at 300 ms frees the waiters, which then try once on their own.
    auto replies = misses_within(cachet.port(), "/hang?hang=1&cc=max-age=60", 10, 5000);
    for (const auto& r : replies) CHECK_MESSAGE((r.ok() && r.status == 504), r.describe());
}

TEST_CASE("waiters get the response when the leader's client leaves before it arrives") {
    TestOrigin origin;
    Cachet cachet(origin.url(), kLongCoalesce);
    const std::string target = "/left?cc=max-age=60&delay_ms=1000&size=5000";
    auto started = Clock::now();
    {
        HttpConnection leader(cachet.port(), Deadline::after(5s));
        REQUIRE(leader.connected());
        REQUIRE(leader.send(http_request("GET", target), Deadline::after(5s)));
        // The leader's fetch is on its way before any waiter arrives.
        Deadline asked = Deadline::after(5s);
        while (origin.requests("/left") == 0 && !asked.expired()) std::this_thread::sleep_for(10ms);
        REQUIRE(origin.requests("/left") == 1);
    }  // the leader's client hangs up mid-way
    auto replies = misses_within(cachet.port(), target, 10, 5000);
    for (const auto& r : replies) {
        CHECK_MESSAGE((r.ok() && r.status == 200 && r.body.size() == 5000), r.describe());
    }
    CHECK(ms_between(started, Clock::now()) < 5000);
    CHECK(origin.requests("/left") == 1);  // the waiters shared the leader's fetch
}

TEST_CASE("waiters on a body past --max-object-size get it streamed, and the key is free again") {
    TestOrigin origin;
    std::vector<std::string> flags = kLongCoalesce;
    flags.insert(flags.end(), {"--max-object-size", "10k"});
    Cachet cachet(origin.url(), flags);
    // Chunked: no declared length, so the limit is found in the body, after the head went
    // out to every waiter.
    const std::string target = "/big?cc=max-age=60&size=50000&chunked=1&delay_ms=300";
    auto replies = misses_within(cachet.port(), target, 10, 5000);
    for (const auto& r : replies) {
        CHECK_MESSAGE((r.ok() && r.status == 200 && r.body.size() == 50000), r.describe());
    }
    // Waiters that had no head yet when the limit was found (another worker's) fetch alone.
    const auto fetched = origin.requests("/big");
    CHECK(fetched >= 1);
    // Not stored, and no longer in flight: the next miss leads a fetch of its own at once.
    auto next = misses_within(cachet.port(), target, 1, 3000);
    CHECK_MESSAGE((next[0].ok() && next[0].status == 200), next[0].describe());
    CHECK(origin.requests("/big") == fetched + 1);
}

TEST_CASE("a waiter with no head by --coalesce-timeout fetches on its own") {
    // The leader's origin takes 3 s; waiters give up on it after 500 ms, so the origin sees
    // their own requests long before the leader's response arrives.
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--coalesce-timeout", "500ms"});
    const std::string target = "/late?cc=max-age=60&delay_ms=3000";
    std::vector<Reply> replies;
    auto started = Clock::now();
    std::thread clients([&] {
        replies = fetch_concurrently(cachet.port(),
                                     std::vector<std::string>(5, http_request("GET", target)),
                                     Deadline::after(15s));
    });
    Deadline deadline = Deadline::after(2500ms);
    while (origin.requests("/late") < 5 && !deadline.expired()) std::this_thread::sleep_for(10ms);
    auto gave_up = ms_between(started, Clock::now());
    clients.join();
    CHECK_MESSAGE(origin.requests("/late") == 5,
                  "waiters reached the origin after " << gave_up << " ms");
    CHECK_MESSAGE(gave_up >= 400, "waiters left after " << gave_up << " ms, before the timeout");
    for (const auto& r : replies) CHECK_MESSAGE((r.ok() && r.status == 200), r.describe());
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
