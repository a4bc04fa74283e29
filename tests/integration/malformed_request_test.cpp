// Bytes from a client are input: a request cachet cannot parse gets a 400 and the connection closes
// (its framing can no longer be trusted); the origin never sees it.
#include <doctest/doctest.h>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

void check_rejected(int port, const std::string& bytes, int status = 400) {
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(port, deadline);
    REQUIRE(conn.connected());
    Reply r = conn.exchange(bytes, deadline);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == status);
    CHECK_MESSAGE(conn.wait_closed(deadline), "cachet kept the connection open after a " << status);
}

TEST_CASE("a request with a malformed header line gets a 400 and the connection closes") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_rejected(cachet.port(), "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n");
    CHECK(origin.total_requests() == 0);
}

TEST_CASE(
    "Host must be there once, with a valid value (RFC 9112 §3.2), or the request gets a 400") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_rejected(cachet.port(), "GET /x HTTP/1.1\r\n\r\n");
    check_rejected(cachet.port(), "GET /x HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n");
    check_rejected(cachet.port(), "GET /x HTTP/1.1\r\nHost: a b\r\n\r\n");
    check_rejected(cachet.port(), "GET /x HTTP/1.1\r\nHost: a.test:8o\r\n\r\n");
    CHECK(origin.total_requests() == 0);
    // The valid shapes pass: a name with a port, and an IP literal.
    for (const char* host : {"a.test:8080", "[::1]:80"}) {
        Deadline deadline = Deadline::after(10s);
        HttpConnection conn(cachet.port(), deadline);
        REQUIRE(conn.connected());
        Reply r =
            conn.exchange(std::string("GET /x HTTP/1.1\r\nHost: ") + host + "\r\n\r\n", deadline);
        CHECK_MESSAGE(r.status == 200, host << ": " << r.describe());
    }
}

TEST_CASE("the 400 names why the request was refused") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    Reply r = conn.exchange("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", deadline);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 400);
    CHECK(r.body == "more than one Host header\n");
    // RFC 9211: every response cachet sends says how the cache handled it; this one was
    // never looked up nor forwarded, so it carries only the reason.
    CHECK(r.header("cache-status") == "cachet; detail=\"more than one Host header\"");
}

TEST_CASE(
    "obs-fold, whitespace before the colon and bare-LF heads get a 400 (RFC 9112 §5.1, §5.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_rejected(cachet.port(), "GET /x HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n");
    check_rejected(cachet.port(), "GET /x HTTP/1.1\r\nHost: a\r\nX-Space : one\r\n\r\n");
    // Ended by bare LFs: refused at once, not left waiting for a CRLF.
    check_rejected(cachet.port(), "GET /x HTTP/1.1\nHost: a\n\n");
    CHECK(origin.total_requests() == 0);
}

TEST_CASE(
    "CONNECT gets a 501, HTTP/2 and other major versions a 505, and nothing reaches the origin") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_rejected(cachet.port(), "CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n", 501);
    check_rejected(cachet.port(), "GET /x HTTP/2.0\r\nHost: a\r\n\r\n", 505);
    check_rejected(cachet.port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505);
    CHECK(origin.total_requests() == 0);
}

TEST_CASE("a request asking to upgrade is answered as HTTP/1.1 and the connection goes on") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    REQUIRE(
        conn.send("GET /up HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                  "GET /after HTTP/1.1\r\nHost: a\r\n\r\n",
                  deadline));
    Reply up = conn.read_response(deadline);
    REQUIRE_MESSAGE(up.ok(), up.describe());
    CHECK(up.status == 200);
    Reply after = conn.read_response(deadline);
    REQUIRE_MESSAGE(after.ok(), after.describe());
    CHECK(after.status == 200);
    CHECK(origin.requests("/after") == 1);
}

TEST_CASE("a request line that is not HTTP gets a 400 and the connection closes") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_rejected(cachet.port(), "HELLO THERE\r\n\r\n");
    CHECK(origin.total_requests() == 0);
}

TEST_CASE("a malformed request after a good one is answered in order, then the connection closes") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    REQUIRE(conn.send(
        http_request("GET", "/good?cc=max-age=60") + "GET /bad HTTP/1.1\r\nHo st: x\r\n\r\n",
        deadline));
    Reply good = conn.read_response(deadline);
    REQUIRE_MESSAGE(good.ok(), good.describe());
    CHECK(good.status == 200);
    Reply bad = conn.read_response(deadline);
    REQUIRE_MESSAGE(bad.ok(), bad.describe());
    CHECK(bad.status == 400);
    CHECK(conn.wait_closed(deadline));
    CHECK(origin.total_requests() == 1);
}

TEST_CASE("cachet keeps serving other clients after a malformed request") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_rejected(cachet.port(),
                   "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n");
    Reply r = get(cachet.port(), "/after?cc=max-age=60");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
}

}  // namespace
}  // namespace cachet::integration
