// SIGTERM drains: cachet stops accepting, lets in-flight requests finish for up to
// --drain-timeout, then exits 0 (what an orchestrator's stop expects).
#include <signal.h>

#include <doctest/doctest.h>

#include <thread>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

// True once the origin has received a request for `path` (it counts on arrival).
bool origin_saw(const TestOrigin& origin, std::string_view path, Deadline deadline) {
    while (origin.requests(path) == 0) {
        if (deadline.expired()) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

TEST_CASE("a request in flight when SIGTERM arrives gets its whole response, then cachet exits 0") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(15s);
    HttpConnection client(cachet.port(), deadline);
    REQUIRE(client.connected());
    REQUIRE(client.send(http_request("GET", "/slow?delay_ms=1500&cc=max-age=60"), deadline));
    REQUIRE(origin_saw(origin, "/slow", deadline));
    REQUIRE(::kill(cachet.pid(), SIGTERM) == 0);
    Reply reply = client.read_response(deadline);
    REQUIRE_MESSAGE(reply.ok(), reply.describe());
    CHECK(reply.status == 200);
    CHECK(reply.header("connection") == "close");  // draining: no further requests on it
    ExitStatus status = cachet.stop();
    CHECK_MESSAGE((status.exited && status.code == 0), status.describe());
}

TEST_CASE("--drain-timeout bounds the drain: a slower request is cut and cachet exits 0") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--drain-timeout", "500ms"});
    Deadline deadline = Deadline::after(15s);
    HttpConnection client(cachet.port(), deadline);
    REQUIRE(client.connected());
    REQUIRE(client.send(http_request("GET", "/slower?delay_ms=8000"), deadline));
    REQUIRE(origin_saw(origin, "/slower", deadline));
    const auto signalled = Clock::now();
    REQUIRE(::kill(cachet.pid(), SIGTERM) == 0);
    // The sweep that enforces the timeout runs once a second: closed within about 1.5 s.
    CHECK(client.wait_closed(Deadline::after(5s)));
    CHECK(ms_between(signalled, Clock::now()) < 3000);
    ExitStatus status = cachet.stop();
    CHECK_MESSAGE((status.exited && status.code == 0), status.describe());
}

}  // namespace
}  // namespace cachet::integration
