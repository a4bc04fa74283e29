// HTTP/1.0 clients (RFC 9112 Appendix C.2): no chunked encoding, no keep-alive unless asked.
#include <doctest/doctest.h>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

TEST_CASE("an HTTP/1.0 client gets a response it can read, then the connection closes") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // A chunked origin response must reach a 1.0 client de-chunked.
    const std::string request = "GET /old?cc=max-age=60&size=20000&chunked=1 HTTP/1.0\r\n\r\n";
    for (int i = 0; i < 2; ++i) {  // the miss, then the hit
        Deadline deadline = Deadline::after(10s);
        HttpConnection conn(cachet.port(), deadline);
        REQUIRE(conn.connected());
        Reply r = conn.exchange(request, deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.status == 200);
        CHECK_FALSE(r.chunked);
        CHECK(r.body == tools::pattern_bytes(0, 20000));
        CHECK_MESSAGE(conn.wait_closed(deadline), "cachet kept an HTTP/1.0 connection open");
    }
    CHECK(origin.requests("/old") == 1);
}

TEST_CASE("an HTTP/1.0 client that asks for keep-alive can send a second request") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string request =
        "GET /old-ka?cc=max-age=60&size=3000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    REQUIRE(fetch(cachet.port(), request).ok());  // now cached, with a known length

    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    Reply first = conn.exchange(request, deadline);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(first.header("Content-Length") == "3000");
    CHECK_FALSE(first.closes_connection());
    Reply second = conn.exchange(request, deadline);
    REQUIRE_MESSAGE(second.ok(), second.describe());
    CHECK(second.body == tools::pattern_bytes(0, 3000));
}

}  // namespace
}  // namespace cachet::integration
