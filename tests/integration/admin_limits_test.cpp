// What a hostile or broken admin client cannot do: hold a connection without sending a whole
// request (--admin-timeout, however it spaces its bytes), send a body or head past the caps
// (413, 431), or crowd out the orchestrator's probes with idle connections (at most 64 are
// open; a new one closes the one idle longest).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE("admin: a connection that sends nothing is closed after --admin-timeout") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin", "127.0.0.1:0", "--admin-timeout", "1s"});
    HttpConnection conn(cachet.admin_port(), Deadline::after(5s));
    REQUIRE(conn.connected());
    const auto started = Clock::now();
    CHECK(conn.wait_closed(Deadline::after(4s)));
    const auto elapsed = ms_between(started, Clock::now());
    CHECK_MESSAGE(elapsed >= 900, "closed after " << elapsed << " ms");
    CHECK(get(cachet.admin_port(), "/healthz").status == 200);
}

TEST_CASE("admin: a keep-alive connection is closed --admin-timeout after its last answer") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin", "127.0.0.1:0", "--admin-timeout", "1s"});
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.admin_port(), deadline);
    REQUIRE(conn.connected());
    // Answers within the timeout keep it open: each one starts the next request's time.
    for (int i = 0; i < 3; ++i) {
        Reply r = conn.exchange(http_request("GET", "/healthz"), deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK_FALSE(conn.wait_closed(Deadline::after(600ms)));
    }
    const auto answered = Clock::now();
    CHECK(conn.wait_closed(Deadline::after(4s)));
    CHECK(ms_between(answered, Clock::now()) >= 300);
}

TEST_CASE("admin: a request head dribbled a byte at a time is closed after --admin-timeout") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin", "127.0.0.1:0", "--admin-timeout", "1s"});
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.admin_port(), deadline);
    REQUIRE(conn.connected());
    const auto started = Clock::now();
    REQUIRE(conn.send("GET /healthz HTTP/1.1\r\nHost: a\r\n", deadline));
    // A header byte every 200 ms, each well inside the timeout, never ending the head.
    bool closed = false;
    for (int i = 0; i < 25 && !closed; ++i) {
        closed = conn.wait_closed(Deadline::after(200ms));
        if (!closed && !conn.send("X", deadline)) closed = true;
    }
    const auto elapsed = ms_between(started, Clock::now());
    CHECK_MESSAGE(closed, "still open after " << elapsed << " ms");
    CHECK_MESSAGE(elapsed >= 900, "closed after " << elapsed << " ms");
    CHECK_MESSAGE(elapsed < 4000, "closed after " << elapsed << " ms");
}

TEST_CASE("admin: a body past 64 KiB is 413 with a one-line reason, declared or chunked") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(10s);
    {
        // Declared: refused at the head, before a byte of the body is read.
        HttpConnection conn(cachet.admin_port(), deadline);
        REQUIRE(conn.connected());
        Reply r = conn.exchange(
            "POST /purge HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n{\"url\"", deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.status == 413);
        CHECK(r.body == "request body too large (at most 64 KiB)\n");
        CHECK(r.closes_connection());
    }
    {
        // Chunked: refused once the chunks pass the cap.
        HttpConnection conn(cachet.admin_port(), deadline);
        REQUIRE(conn.connected());
        std::string request =
            "POST /purge HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 5; ++i) request += "4000\r\n" + std::string(0x4000, 'x') + "\r\n";
        Reply r = conn.exchange(request, deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.status == 413);
    }
    CHECK(get(cachet.admin_port(), "/healthz").status == 200);
}

TEST_CASE("admin: a request head past 8 KiB is 431") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = fetch(cachet.admin_port(),
                    http_request("GET", "/healthz", {"X-Filler: " + std::string(9000, 'f')}));
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 431);
    CHECK(r.body == "request head too large\n");
}

TEST_CASE("admin: /healthz and /readyz answer while 60 idle connections are open") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(20s);
    std::vector<HttpConnection> idle;
    idle.reserve(60);
    for (int i = 0; i < 60; ++i) {
        idle.emplace_back(cachet.admin_port(), deadline);
        REQUIRE(idle.back().connected());
    }
    // One of them with half a request: a partial head holds no more than an idle connection.
    REQUIRE(idle.front().send("GET /stats HTTP/1.1\r\n", deadline));
    for (int i = 0; i < 5; ++i) {
        Reply health = get(cachet.admin_port(), "/healthz", {}, 2s);
        REQUIRE_MESSAGE(health.ok(), health.describe());
        CHECK(health.status == 200);
    }
    CHECK(get(cachet.admin_port(), "/readyz", {}, 2s).status == 200);
    // Below the cap, every idle connection is still open and still answers.
    Reply last = idle.back().exchange(http_request("GET", "/healthz"), deadline);
    REQUIRE_MESSAGE(last.ok(), last.describe());
    CHECK(last.status == 200);
}

TEST_CASE("admin: past 64 connections, the one waiting longest is closed to make room") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(20s);
    std::vector<HttpConnection> idle;
    idle.reserve(64);
    for (int i = 0; i < 64; ++i) {
        idle.emplace_back(cachet.admin_port(), deadline);
        REQUIRE(idle.back().connected());
    }
    // Accepted in order: once the last one answers, all 64 are open.
    Reply r = idle.back().exchange(http_request("GET", "/healthz"), deadline);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    // The 65th: a probe. It is answered, and the connection waiting longest (the first,
    // which never sent a byte) is closed for it; the others stay.
    Reply probe = get(cachet.admin_port(), "/healthz", {}, 2s);
    REQUIRE_MESSAGE(probe.ok(), probe.describe());
    CHECK(probe.status == 200);
    CHECK(idle.front().wait_closed(Deadline::after(2s)));
    Reply second = idle[1].exchange(http_request("GET", "/healthz"), deadline);
    CHECK_MESSAGE(second.ok(), second.describe());
}

}  // namespace
}  // namespace cachet::integration
