// --client-timeout bounds how long a client may hold a connection without progress: idle
// between requests, and while sending one request head, however it spaces its bytes.
#include <doctest/doctest.h>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "harness/slow_reader.hpp"

#include <thread>

namespace cachet::integration {
namespace {

TEST_CASE("an idle keep-alive connection is closed after the client timeout") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--client-timeout", "1s"});
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    Reply r = conn.exchange(http_request("GET", "/idle?cc=max-age=60"), deadline);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    auto started = Clock::now();
    CHECK(conn.wait_closed(Deadline::after(5s)));
    CHECK(ms_between(started, Clock::now()) >= 900);
}

TEST_CASE("a client dribbling its request head is closed after the client timeout (slowloris)") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--client-timeout", "1s"});
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    auto started = Clock::now();
    REQUIRE(conn.send("GET /slow HTTP/1.1\r\nHost: a\r\n", deadline));
    // One more header byte every 200 ms, each well inside the timeout, never ending the head.
    bool closed = false;
    for (int i = 0; i < 25 && !closed; ++i) {
        closed = conn.wait_closed(Deadline::after(200ms));
        if (!closed && !conn.send("X", deadline)) closed = true;
    }
    const auto elapsed = ms_between(started, Clock::now());
    CHECK_MESSAGE(closed, "still open after " << elapsed << " ms");
    CHECK_MESSAGE(elapsed >= 900, "closed after " << elapsed << " ms");
    CHECK_MESSAGE(elapsed < 4000, "closed after " << elapsed << " ms");
    CHECK(origin.total_requests() == 0);
}

TEST_CASE("a client that takes none of its response is closed after the client timeout") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--client-timeout", "1s"});
    constexpr std::size_t size = 32 * 1024 * 1024;
    SlowReader client(cachet.port(),
                      http_request("GET", "/unread?cc=no-store&size=" + std::to_string(size)));
    REQUIRE(client.connected());
    // Reading would be the progress this test is about, so it reads nothing for a while:
    // the sweep runs once a second and the timeout is 1 s.
    std::this_thread::sleep_for(2500ms);
    bool closed = false;
    std::string got = client.read_response(size, Deadline::after(10s), &closed);
    CHECK_MESSAGE(closed, "the connection stayed open");
    CHECK_MESSAGE(got.size() < size, "the whole response came through: " << got.size() << " bytes");
}

}  // namespace
}  // namespace cachet::integration
