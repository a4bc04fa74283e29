// Request bodies (POST) stream to the origin intact, and their responses bypass the cache.
#include <doctest/doctest.h>

#include <cstdio>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "origin_server/fnv1a.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

std::string checksum(const std::string& bytes) {
    tools::Fnv1a64 sum;
    sum.update(bytes);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sum.value()));
    return hex;
}

void check_echoed_body(const Reply& r, const std::string& body) {
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CHECK_MESSAGE(
        r.body.find("\nbody-length: " + std::to_string(body.size()) + "\n") != std::string::npos,
        r.body);
    CHECK_MESSAGE(r.body.find("\nbody-fnv1a64: " + checksum(body) + "\n") != std::string::npos,
                  r.body);
}

TEST_CASE("a 1 MiB POST body reaches the origin intact and the response is not cached") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string body = tools::pattern_bytes(12345, 1024 * 1024);
    const std::string target = "/post?echo=1&cc=max-age=60";

    Reply first = fetch(cachet.port(), http_request("POST", target, {}, body), 10s);
    check_echoed_body(first, body);
    CHECK_MESSAGE(cache_status(first).bypass(), cache_status(first).raw);
    CHECK(first.body.find("POST " + target + " HTTP/1.1\n") == 0);

    Reply second = fetch(cachet.port(), http_request("POST", target, {}, body), 10s);
    check_echoed_body(second, body);
    CHECK(origin.requests("/post") == 2);

    // A POST response is never served to a later GET of the same URL.
    Reply after = get(cachet.port(), target);
    REQUIRE_MESSAGE(after.ok(), after.describe());
    CHECK(after.body.find("GET " + target) == 0);
    CHECK(origin.requests("/post") == 3);
}

TEST_CASE("a chunked POST body reaches the origin intact") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string body = tools::pattern_bytes(0, 200000);
    std::string request =
        "POST /chunked-post?echo=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    for (std::size_t at = 0; at < body.size(); at += 30000) {
        std::string piece = body.substr(at, 30000);
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        request += size + piece + "\r\n";
    }
    request += "0\r\n\r\n";
    Reply r = fetch(cachet.port(), request, 10s);
    check_echoed_body(r, body);
    CHECK_MESSAGE(cache_status(r).bypass(), cache_status(r).raw);
}

TEST_CASE("a request after a POST on the same connection is answered normally") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    const std::string body = tools::pattern_bytes(0, 70000);
    check_echoed_body(conn.exchange(http_request("POST", "/p1?echo=1", {}, body), deadline), body);
    Reply next = conn.exchange(http_request("GET", "/g1?cc=max-age=60"), deadline);
    REQUIRE_MESSAGE(next.ok(), next.describe());
    CHECK(next.body == "test-origin response for /g1?cc=max-age=60\n");
}

}  // namespace
}  // namespace cachet::integration
