// cachet is a proxy, not a tunnel: hop-by-hop headers (RFC 9110 §7.6.1) stop at it in both
// directions, and it adds Via (§7.6.3) and X-Forwarded-For to what it forwards.
#include <doctest/doctest.h>

#include <sstream>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

struct EchoedRequest {
    std::string request_line;
    std::vector<std::pair<std::string, std::string>> headers;

    std::vector<std::string> values(std::string_view name) const {
        std::vector<std::string> out;
        for (const auto& [n, v] : headers) {
            if (iequals(n, name)) out.push_back(v);
        }
        return out;
    }
    std::string joined(std::string_view name) const {
        std::string out;
        for (const auto& v : values(name)) out += (out.empty() ? "" : ", ") + v;
        return out;
    }
};

// The test origin's echo=1 body: request line, "Name: value" lines, an empty line, summary.
EchoedRequest parse_echo(const std::string& body) {
    EchoedRequest echoed;
    std::istringstream in(body);
    std::getline(in, echoed.request_line);
    for (std::string line; std::getline(in, line) && !line.empty();) {
        auto colon = line.find(": ");
        if (colon != std::string::npos)
            echoed.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
    return echoed;
}

TEST_CASE("hop-by-hop request headers are removed and Via and X-Forwarded-For are added") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = get(cachet.port(), "/echo?echo=1&cc=no-store",
                  {"Connection: keep-alive, X-Hop-Secret", "X-Hop-Secret: must-not-leave",
                   "Keep-Alive: timeout=5", "TE: trailers", "Trailer: X-Checksum",
                   "Proxy-Connection: keep-alive", "Upgrade: h2c", "X-End-To-End: kept"});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    REQUIRE(r.status == 200);
    EchoedRequest echoed = parse_echo(r.body);
    INFO("the origin received:\n" << r.body);
    CHECK(echoed.request_line == "GET /echo?echo=1&cc=no-store HTTP/1.1");
    for (const char* hop : {"Connection", "Keep-Alive", "TE", "Trailer", "Proxy-Connection",
                            "Upgrade", "X-Hop-Secret", "Transfer-Encoding"}) {
        CHECK_MESSAGE(echoed.values(hop).empty(), hop << " was forwarded");
    }
    CHECK(echoed.values("X-End-To-End") == std::vector<std::string>{"kept"});
    CHECK(echoed.joined("Via").find("cachet") != std::string::npos);
    CHECK(echoed.joined("X-Forwarded-For") == "127.0.0.1");
    CHECK(echoed.values("Host").size() == 1);
}

TEST_CASE("an absolute-form target's authority replaces Host, towards the origin and in the key") {
    // RFC 9112 §3.2.2. Were Host forwarded while the key used the target's authority, one
    // host's response would be stored under another's key.
    TestOrigin origin;
    Cachet cachet(origin.url());
    auto exchange = [&](const std::string& target, const std::string& host) {
        Deadline deadline = Deadline::after(10s);
        HttpConnection conn(cachet.port(), deadline);
        REQUIRE(conn.connected());
        return conn.exchange("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n", deadline);
    };
    Reply absolute = exchange("http://one.test/abs?echo=1&cc=max-age=60", "two.test");
    REQUIRE_MESSAGE(absolute.ok(), absolute.describe());
    EchoedRequest echoed = parse_echo(absolute.body);
    CHECK(echoed.request_line == "GET /abs?echo=1&cc=max-age=60 HTTP/1.1");
    CHECK(echoed.values("Host") == std::vector<std::string>{"one.test"});

    // Stored under one.test: a request for it hits, one for two.test does not.
    Reply same = exchange("/abs?echo=1&cc=max-age=60", "one.test");
    CHECK(same.header("Cache-Status").value_or("").find("hit") != std::string::npos);
    Reply other = exchange("/abs?echo=1&cc=max-age=60", "two.test");
    REQUIRE_MESSAGE(other.ok(), other.describe());
    CHECK(parse_echo(other.body).values("Host") == std::vector<std::string>{"two.test"});
    CHECK(origin.requests("/abs") == 2);
}

TEST_CASE("a Via from an earlier proxy is kept and cachet's is appended") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = get(cachet.port(), "/echo-via?echo=1&cc=no-store", {"Via: 1.0 earlier-proxy"});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    std::string via = parse_echo(r.body).joined("Via");
    INFO("Via at the origin: " << via);
    auto earlier = via.find("1.0 earlier-proxy");
    auto ours = via.find("cachet");
    CHECK(earlier != std::string::npos);
    CHECK(ours != std::string::npos);
    CHECK(earlier < ours);
}

TEST_CASE("hop-by-hop response headers from the origin do not reach the client") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target =
        "/resp-hop?cc=max-age=60&header=Connection:X-Resp-Hop&header=X-Resp-Hop:1"
        "&header=Keep-Alive:timeout%3D5&header=Proxy-Connection:keep-alive&header=X-Kept:yes";
    for (int i = 0; i < 2; ++i) {  // the miss, relayed; then the hit, from the stored head
        Reply r = get(cachet.port(), target);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.status == 200);
        CHECK_FALSE(r.header("X-Resp-Hop").has_value());
        CHECK_FALSE(r.header("Keep-Alive").has_value());
        CHECK_FALSE(r.header("Proxy-Connection").has_value());
        for (const auto& [n, v] : r.headers) {
            if (iequals(n, "Connection")) CHECK(v.find("X-Resp-Hop") == std::string::npos);
        }
        CHECK(r.header("X-Kept") == "yes");
        CHECK(r.header("Via") == "1.1 cachet");
    }
    CHECK(origin.requests("/resp-hop") == 1);
}

}  // namespace
}  // namespace cachet::integration
