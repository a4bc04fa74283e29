// HTTP/1.1 pipelining (RFC 9112 §9.3.2): responses go back in request order, whether each is a hit
// served at once or a miss that waits on the origin.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

std::string pipe_target(int i) {
    // Misses get different origin delays, so answering in completion order would reorder them.
    std::string t = "/pipe/" + std::to_string(i) + "?cc=max-age=60";
    if (i % 2 == 1) t += "&delay_ms=" + std::to_string((i % 4) * 10);
    return t;
}

TEST_CASE("100 pipelined GETs in one write are answered in order, hits and misses mixed") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (int i = 0; i < 100; i += 2) {
        Reply warm = get(cachet.port(), pipe_target(i));
        REQUIRE_MESSAGE(warm.ok(), warm.describe());
    }

    Deadline deadline = Deadline::after(30s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    std::string burst;
    for (int i = 0; i < 100; ++i) burst += http_request("GET", pipe_target(i));
    REQUIRE(conn.send(burst, deadline));

    for (int i = 0; i < 100; ++i) {
        Reply r = conn.read_response(deadline);
        REQUIRE_MESSAGE(r.ok(), "response " << i << ": " << r.describe());
        CHECK(r.status == 200);
        CHECK_MESSAGE(r.body == "test-origin response for " + pipe_target(i) + "\n",
                      "response " << i << " carried " << r.body);
        CacheStatus s = cache_status(r);
        if (i % 2 == 0) {
            CHECK_MESSAGE(s.hit, "response " << i << ": " << s.raw);
        } else {
            CHECK_MESSAGE(s.miss(), "response " << i << ": " << s.raw);
        }
    }
    CHECK(conn.pending().empty());
    for (int i = 0; i < 100; i += 7) {
        CHECK(origin.requests("/pipe/" + std::to_string(i)) == 1);
    }
    CHECK(origin.total_requests() == 100);
}

}  // namespace
}  // namespace cachet::integration
