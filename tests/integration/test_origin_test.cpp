// The test origin and the harness checked against each other, without cachet: when a cachet test
// fails, these say whether the instrument or cachet is wrong.
#include <doctest/doctest.h>

#include <string>

#include "harness/concurrent.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "origin_server/fnv1a.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

using tools::pattern_bytes;

TEST_CASE("the test origin counts requests per path and leaves its own stats out") {
    TestOrigin origin;
    CHECK(get(origin.port(), "/a").ok());
    CHECK(get(origin.port(), "/a?x=1").ok());
    CHECK(get(origin.port(), "/b").ok());
    CHECK(origin.requests("/a") == 2);
    CHECK(origin.requests("/b") == 1);
    CHECK(origin.requests("/never") == 0);
    CHECK(origin.requests_for_target("/a?x=1") == 1);
    CHECK(origin.total_requests() == 3);
    CHECK(origin.connections() == 3);
}

TEST_CASE("the test origin scripts status, headers and a verifiable body from the query") {
    TestOrigin origin;
    Reply r = get(origin.port(),
                  "/s?status=203&cc=public,%20max-age=60&header=X-One:1&header=X-Two:%20two"
                  "&etag=%22v1%22&size=100000&set_cookie=1");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 203);
    CHECK(r.header("Cache-Control") == "public, max-age=60");
    CHECK(r.header("X-One") == "1");
    CHECK(r.header("X-Two") == "two");
    CHECK(r.header("ETag") == "\"v1\"");
    CHECK(r.header("Set-Cookie").has_value());
    CHECK(r.header("X-Origin-Count") == "1");
    CHECK(r.body == pattern_bytes(0, 100000));
}

TEST_CASE("the test origin answers JSON-RPC with rpc=echo and keeps the last body per path") {
    TestOrigin origin;
    auto post = [&](const std::string& body) {
        return fetch(origin.port(), http_request("POST", "/rpc?rpc=echo", {}, body));
    };
    const std::string call = R"({"jsonrpc":"2.0","method":"m","params":[1],"id":7})";
    Reply single = post(call);
    REQUIRE_MESSAGE(single.ok(), single.describe());
    CHECK(single.body == R"({"jsonrpc":"2.0","result":{"method":"m","params":[1]},"id":7})");
    // A batch in reverse order, without the notification's answer.
    const std::string batch = R"([{"jsonrpc":"2.0","method":"a","id":1},)"
                              R"( {"jsonrpc":"2.0","method":"n"}, )"
                              R"({"id":"x","method":"b","params":{"k":[2]},"jsonrpc":"2.0"}])";
    Reply answered = post(batch);
    CHECK(answered.status == 200);
    CHECK(answered.body ==
          R"([{"jsonrpc":"2.0","result":{"method":"b","params":{"k":[2]}},"id":"x"},)"
          R"({"jsonrpc":"2.0","result":{"method":"a","params":null},"id":1}])");
    CHECK(origin.last_body("/rpc") == batch);
    CHECK(post(R"([{"jsonrpc":"2.0","method":"n"}])").status == 204);
    CHECK(post("[1,2]").status == 400);
    CHECK(origin.last_body("/never").empty());
}

TEST_CASE("the test origin copies a request field into a response header with header_from") {
    TestOrigin origin;
    Reply with = get(origin.port(), "/v?header_from=Vary:X-Test-Vary", {"X-Test-Vary: Accept"});
    REQUIRE_MESSAGE(with.ok(), with.describe());
    CHECK(with.header("Vary") == "Accept");
    Reply without = get(origin.port(), "/v?header_from=Vary:X-Test-Vary");
    REQUIRE_MESSAGE(without.ok(), without.describe());
    CHECK_FALSE(without.header("Vary").has_value());
}

TEST_CASE("the test origin's chunked and close-delimited bodies arrive intact") {
    TestOrigin origin;
    Reply chunked = get(origin.port(), "/c?size=300000&chunked=1");
    REQUIRE_MESSAGE(chunked.ok(), chunked.describe());
    CHECK(chunked.chunked);
    CHECK(chunked.body == pattern_bytes(0, 300000));

    Reply closed = get(origin.port(), "/d?size=300000&close=1");
    REQUIRE_MESSAGE(closed.ok(), closed.describe());
    CHECK(closed.close_delimited);
    CHECK(closed.body == pattern_bytes(0, 300000));
}

TEST_CASE("the test origin answers pipelined requests in order even when earlier ones are slower") {
    TestOrigin origin;
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(origin.port(), deadline);
    std::string burst;
    for (int i = 0; i < 10; ++i) {
        burst += http_request(
            "GET", "/p/" + std::to_string(i) + "?delay_ms=" + std::to_string((10 - i) * 5));
    }
    REQUIRE(conn.send(burst, deadline));
    for (int i = 0; i < 10; ++i) {
        Reply r = conn.read_response(deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.body == "test-origin response for /p/" + std::to_string(i) +
                            "?delay_ms=" + std::to_string((10 - i) * 5) + "\n");
    }
    CHECK(origin.connections() == 1);
}

TEST_CASE("the test origin sends the interim responses asked for before the final one") {
    TestOrigin origin;
    Reply r = get(origin.port(),
                  "/i?interim=100&interim=103&interim_header=Link:%20%3C/a%3E&delay_ms=200");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    REQUIRE(r.interim.size() == 2);
    CHECK(r.interim[0].status == 100);
    CHECK(r.interim[1].status == 103);
    REQUIRE(r.interim[1].headers.size() == 1);
    CHECK(r.interim[1].headers[0] == std::pair<std::string, std::string>{"Link", "</a>"});
    CHECK(ms_between(r.interim[1].at, r.done_at) >= 100);  // before delay_ms, not after
    CHECK(get(origin.port(), "/i?interim=200").status == 400);
}

TEST_CASE("the test origin echoes the request it received, with the body's checksum") {
    TestOrigin origin;
    std::string body = pattern_bytes(7, 50000);
    Reply r = fetch(origin.port(), http_request("POST", "/e?echo=1", {"X-Test: yes"}, body));
    REQUIRE_MESSAGE(r.ok(), r.describe());
    tools::Fnv1a64 sum;
    sum.update(body);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sum.value()));
    CHECK(r.body.find("POST /e?echo=1 HTTP/1.1\n") == 0);
    CHECK(r.body.find("\nX-Test: yes\n") != std::string::npos);
    CHECK(r.body.find("\nbody-length: 50000\n") != std::string::npos);
    CHECK(r.body.find(std::string("\nbody-fnv1a64: ") + hex + "\n") != std::string::npos);
}

TEST_CASE("the test origin's failure modes are seen by the client as close, reset and timeout") {
    TestOrigin origin;
    Reply truncated = get(origin.port(), "/t?size=10000&truncate=4000");
    CHECK(truncated.outcome == Outcome::truncated);
    CHECK(truncated.body == pattern_bytes(0, 4000));

    Reply reset = get(origin.port(), "/r?reset=1");
    CHECK(reset.outcome == Outcome::reset);

    Reply bad = get(origin.port(), "/b?bad=1");
    CHECK(bad.outcome == Outcome::malformed);

    auto started = Clock::now();
    Reply hang = get(origin.port(), "/h?hang=1", {}, 300ms);
    CHECK(hang.outcome == Outcome::timeout);
    CHECK(ms_between(started, Clock::now()) >= 250);
}

TEST_CASE("the test origin stalls mid-body when asked, after sending the first bytes") {
    TestOrigin origin;
    Reply r = get(origin.port(), "/s?size=200000&stall_after=1000&stall_ms=400");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.body == pattern_bytes(0, 200000));
    CHECK(ms_between(r.first_body_at, r.done_at) >= 350);
}

TEST_CASE("the test origin serves many concurrent slow clients at once") {
    TestOrigin origin;
    std::vector<std::string> requests(200, http_request("GET", "/slow?delay_ms=300"));
    auto started = Clock::now();
    auto replies = fetch_concurrently(origin.port(), requests, Deadline::after(20s));
    for (const auto& r : replies) REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(ms_between(started, Clock::now()) < 3000);
    CHECK(origin.requests("/slow") == 200);
}

TEST_CASE("the test origin exits on SIGTERM") {
    TestOrigin origin;
    ExitStatus status = origin.stop();
    CHECK_MESSAGE(status.exited, status.describe());
    CHECK(status.code == 0);
}

}  // namespace
}  // namespace cachet::integration
