// When the origin fails, the client gets a clear 502 or 504 (or, once a body has started, a
// connection closed early) and nothing broken is stored.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

void check_gateway_error(const Reply& r, int status) {
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK_MESSAGE(r.status == status, r.describe());
    CHECK_MESSAGE(!r.body.empty(), "a gateway error should say why in its body");
    CHECK(r.body.size() < 200);
    CHECK(cache_status(r).present);
}

TEST_CASE("an origin nobody listens on gets a 502") {
    DeadPort dead;
    Cachet cachet("http://127.0.0.1:" + std::to_string(dead.port()), {"--connect-timeout", "2s"});
    auto started = Clock::now();
    check_gateway_error(get(cachet.port(), "/down"), 502);
    CHECK(ms_between(started, Clock::now()) < 5000);
    // cachet stays up and answers the next request the same way.
    check_gateway_error(get(cachet.port(), "/down"), 502);
}

TEST_CASE("an origin that resets the connection gets a 502, and the error is not stored") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_gateway_error(get(cachet.port(), "/reset?reset=1&cc=max-age=60"), 502);
    check_gateway_error(get(cachet.port(), "/reset?reset=1&cc=max-age=60"), 502);
    CHECK(origin.requests("/reset") >= 2);
}

TEST_CASE("an origin that sends a malformed status line gets a 502") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_gateway_error(get(cachet.port(), "/bad?bad=1"), 502);
    check_gateway_error(get(cachet.port(), "/badheader?bad=header"), 502);
}

TEST_CASE("an origin connection that sent more than its response framed is not reused") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--workers", "1"});
    Reply first = get(cachet.port(), "/extra?bad=extra");
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(first.body == "ok");
    // The unasked-for second response must not answer, or be stored for, a later request.
    Reply next = get(cachet.port(), "/next?cc=max-age=60");
    REQUIRE_MESSAGE(next.ok(), next.describe());
    CHECK(next.body.find("smuggled") == std::string::npos);
    CHECK(origin.requests("/next") == 1);
    CHECK(origin.connections() == 2);
}

// With --first-byte-timeout 500ms: `target` gets a 504, at the deadline and not before.
void check_first_byte_deadline(const std::string& target) {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--first-byte-timeout", "500ms"});
    auto started = Clock::now();
    Reply r = get(cachet.port(), target, {}, 10s);
    auto elapsed = ms_between(started, Clock::now());
    check_gateway_error(r, 504);
    CHECK_MESSAGE(elapsed >= 400, "504 after " << elapsed << " ms, before the deadline");
    CHECK_MESSAGE(elapsed < 3000, "504 after " << elapsed << " ms");
}

TEST_CASE("an origin that never answers gets a 504 after the first-byte timeout") {
    check_first_byte_deadline("/hang?hang=1");
}

TEST_CASE(
    "an origin dribbling its head gets a 504 at the first-byte deadline, not a timer reset per "
    "byte") {
    // A byte every 50 ms: the head would take seconds, each gap well inside the timeout.
    check_first_byte_deadline("/drip?drip_ms=50");
}

TEST_CASE("a truncated origin body closes the client connection early and is not stored") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // Head and 50000 bytes, a pause (so cachet has surely started the response to the client),
    // 10000 more bytes, then the origin closes 40000 bytes short of its Content-Length.
    const std::string target =
        "/trunc?cc=max-age=60&size=100000&stall_after=50000&stall_ms=300&truncate=60000";

    Reply r = get(cachet.port(), target);
    CHECK_MESSAGE((r.outcome == Outcome::truncated || r.outcome == Outcome::reset), r.describe());
    CHECK(r.status == 200);
    CHECK(r.body.size() < 100000);
    CHECK(r.body == tools::pattern_bytes(0, r.body.size()));
    CHECK(origin.requests("/trunc") == 1);

    Reply again = get(cachet.port(), target);
    CHECK_MESSAGE((again.outcome == Outcome::truncated || again.outcome == Outcome::reset),
                  again.describe());
    CHECK(origin.requests("/trunc") == 2);
}

TEST_CASE("an origin body cut short before cachet answered is a 502 or an early close") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // The whole truncated response may reach cachet at once: a 502 is then as right as
    // relaying the head and closing early. Serving it as complete, or storing it, is not.
    const std::string target = "/cut?cc=max-age=60&size=100000&truncate=50000";
    for (int i = 0; i < 2; ++i) {
        Reply r = get(cachet.port(), target);
        bool gateway_error = r.ok() && r.status == 502;
        bool closed_early = r.outcome == Outcome::truncated || r.outcome == Outcome::reset;
        CHECK_MESSAGE((gateway_error || closed_early), r.describe());
    }
    CHECK(origin.requests("/cut") == 2);
}

TEST_CASE("after an origin failure the next request to the same origin succeeds") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_gateway_error(get(cachet.port(), "/flaky?reset=1"), 502);
    Reply r = get(cachet.port(), "/fine?cc=max-age=60");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CHECK(origin.requests("/fine") == 1);
}

}  // namespace
}  // namespace cachet::integration
