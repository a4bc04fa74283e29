// cachet in front of an https:// origin: the test origin in TLS mode, with certificates made
// for the test (harness/certificates.hpp). A hit does not reach the origin; each way a
// certificate can fail gives its 502, its reason and its count; insecure is explicit and
// logged; connections are pooled and sessions resumed (the origin counts its handshakes); a
// response cut short over TLS is never stored; and what works over plain HTTP (coalescing,
// revalidation, record and replay) works over TLS.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/certificates.hpp"
#include "harness/concurrent.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/metrics.hpp"
#include "harness/origin.hpp"
#include "harness/slow_reader.hpp"
#include "harness/temp_dir.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

using tools::pattern_bytes;

TestOrigin tls_origin(const CertificateFiles& files = test_certificates().localhost) {
    return TestOrigin::tls(files.cert, files.key);
}

// The origin by the name its certificates carry: localhost, verified against the test CA.
std::string origin_url(const TestOrigin& origin) {
    return "https://localhost:" + std::to_string(origin.port());
}

std::vector<std::string> trusting(std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(), {"--origin-ca", test_certificates().ca});
    return flags;
}

std::string metric(const Cachet& cachet, const std::string& name) {
    return sample(get(cachet.admin_port(), "/metrics").body, name).value_or("(none)");
}

// The 502 a request gets when the origin's certificate fails as `reason` says.
void check_refused(const CertificateFiles& served, const std::string& url_host,
                   std::string_view reason, std::string_view label) {
    TestOrigin origin = tls_origin(served);
    Cachet cachet("https://" + url_host + ":" + std::to_string(origin.port()), trusting());
    Reply r = get(cachet.port(), "/a?cc=max-age%3D60");
    CHECK(r.status == 502);
    CHECK(r.body == std::string(reason) + "\n");
    CHECK(cache_status(r).detail == reason);
    CHECK(origin.total_requests() == 0);
    CHECK(metric(cachet, "cachet_origin_errors_total{origin=\"default\",reason=\"" +
                             std::string(label) + "\"}") != "0");
}

TEST_CASE("a response from an https origin is stored: the hit does not reach the origin") {
    TestOrigin origin = tls_origin();
    Cachet cachet(origin_url(origin), trusting());
    Reply first = get(cachet.port(), "/a?size=5000&cc=max-age%3D60");
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(first.status == 200);
    CHECK(first.body == pattern_bytes(0, 5000));
    CHECK(cache_status(first).stored);
    Reply second = get(cachet.port(), "/a?size=5000&cc=max-age%3D60");
    CHECK(cache_status(second).hit);
    CHECK(second.body == first.body);
    CHECK(origin.requests("/a") == 1);
    CHECK(origin.tls_handshakes() + origin.tls_resumed() >= 1);
}

TEST_CASE("each certificate failure is a 502 naming it, counted by reason") {
    const TestCertificates& certs = test_certificates();
    SUBCASE("another name") {
        check_refused(certs.other_name, "localhost", "origin certificate: hostname mismatch",
                      "tls_hostname_mismatch");
    }
    SUBCASE("an address the certificate does not hold") {
        check_refused(certs.other_name, "127.0.0.1", "origin certificate: hostname mismatch",
                      "tls_hostname_mismatch");
    }
    SUBCASE("expired") {
        check_refused(certs.expired, "localhost", "origin certificate: expired or not yet valid",
                      "tls_expired");
    }
    SUBCASE("self-signed, from no trusted CA") {
        check_refused(certs.self_signed, "localhost", "origin certificate: untrusted issuer",
                      "tls_untrusted");
    }
}

TEST_CASE("without --origin-ca the system's store is used: the test CA is not in it") {
    TestOrigin origin = tls_origin();
    Cachet cachet(origin_url(origin));
    Reply r = get(cachet.port(), "/a");
    CHECK(r.status == 502);
    CHECK(r.body == "origin certificate: untrusted issuer\n");
    CHECK(origin.total_requests() == 0);
}

TEST_CASE("a plain-HTTP origin behind an https:// URL fails its handshake, with a 502") {
    TestOrigin plain;
    Cachet cachet("https://localhost:" + std::to_string(plain.port()), trusting());
    Reply r = get(cachet.port(), "/a");
    CHECK(r.status == 502);
    CHECK(r.body == "origin TLS handshake failed\n");
}

TEST_CASE("insecure: true, written in the file, takes any certificate and says so at start") {
    TestOrigin origin = tls_origin(test_certificates().self_signed);
    ConfigFile file(R"({"origins": {"default": {"servers": ")" + origin_url(origin) +
                    R"(", "insecure": true}}})");
    Cachet cachet("", {"--config", file.path()}, Process::Options{.capture_stderr = true});
    Reply r = get(cachet.port(), "/a?cc=max-age%3D60");
    CHECK(r.status == 200);
    CHECK(origin.requests("/a") == 1);
    CHECK(cachet.stderr_text().find("\"msg\":\"origin certificates are not verified (insecure: "
                                    "true)\",\"origin\":\"default\"") != std::string::npos);
}

TEST_CASE("a TLS connection to the origin is kept and reused: one handshake for many requests") {
    TestOrigin origin = tls_origin();
    Cachet cachet(origin_url(origin), trusting({"--workers", "1"}));
    HttpConnection client(cachet.port(), Deadline::after(10s));
    for (int i = 0; i < 10; ++i) {
        Reply r = client.exchange(http_request("GET", "/n" + std::to_string(i) + "?cc=no-store"),
                                  Deadline::after(10s));
        REQUIRE_MESSAGE(r.ok(), r.describe());
    }
    CHECK(origin.total_requests() == 10);
    CHECK(origin.connections() == 1);
    CHECK(origin.tls_handshakes() == 1);
    CHECK(metric(cachet,
                 "cachet_origin_tls_handshakes_total{origin=\"default\",result=\"full\"}") == "1");
}

TEST_CASE("new connections to the origin resume the pool's session: few full handshakes") {
    TestOrigin origin = tls_origin();
    // No idle connection is kept: every request opens a connection of its own.
    Cachet cachet(origin_url(origin), trusting({"--workers", "1", "--origin-keepalive", "0"}));
    for (int i = 0; i < 8; ++i) {
        Reply r = get(cachet.port(), "/r" + std::to_string(i) + "?cc=no-store");
        REQUIRE_MESSAGE(r.ok(), r.describe());
    }
    CHECK(origin.connections() == 8);
    CHECK(origin.tls_handshakes() == 1);
    CHECK(origin.tls_resumed() == 7);
    CHECK(metric(cachet,
                 "cachet_origin_tls_handshakes_total{origin=\"default\",result=\"resumed\"}") ==
          "7");
}

TEST_CASE("a response cut short over TLS is never stored") {
    TestOrigin origin = tls_origin();
    Cachet cachet(origin_url(origin), trusting());
    SUBCASE("the declared length not reached: the connection closed without close_notify") {
        Reply cut = get(cachet.port(), "/t?size=100000&truncate=5000&cc=max-age%3D60");
        CHECK_FALSE(cut.ok());
        get(cachet.port(), "/t?size=100000&truncate=5000&cc=max-age%3D60");
        CHECK(origin.requests("/t") == 2);
    }
    SUBCASE("a close-delimited body ended without close_notify may have been cut") {
        const std::string target = "/c?size=3000&close=1&close_notify=0&cc=max-age%3D60";
        get(cachet.port(), target);
        get(cachet.port(), target);
        CHECK(origin.requests("/c") == 2);
    }
    SUBCASE("a close-delimited body ended by close_notify is whole, and stored") {
        const std::string target = "/w?size=3000&close=1&cc=max-age%3D60";
        Reply first = get(cachet.port(), target);
        REQUIRE_MESSAGE(first.ok(), first.describe());
        CHECK(first.body == pattern_bytes(0, 3000));
        Reply second = get(cachet.port(), target);
        CHECK(cache_status(second).hit);
        CHECK(origin.requests("/w") == 1);
    }
    SUBCASE("a reset before the response: a 502, nothing stored") {
        Reply r = get(cachet.port(), "/x?reset=1&cc=max-age%3D60");
        CHECK(r.status == 502);
        get(cachet.port(), "/x?reset=1&cc=max-age%3D60");
        CHECK(origin.requests("/x") == 2);
    }
}

TEST_CASE("over TLS too: concurrent misses coalesce, and a stale entry revalidates with a 304") {
    TestOrigin origin = tls_origin();
    Cachet cachet(origin_url(origin), trusting());
    const std::vector<std::string> requests(
        20, http_request("GET", "/slow?delay_ms=300&size=2000&cc=max-age%3D60"));
    for (const Reply& r : fetch_concurrently(cachet.port(), requests, Deadline::after(10s)))
        CHECK(r.body == pattern_bytes(0, 2000));
    CHECK(origin.requests("/slow") == 1);

    const std::string target = "/v?etag=%22v1%22&cc=max-age%3D0";
    get(cachet.port(), target);
    Reply again = get(cachet.port(), target);
    CHECK(again.status == 200);
    CHECK(cache_status(again).fwd == "stale");
    CHECK(cache_status(again).raw.find("fwd-status=304") != std::string::npos);
    CHECK(origin.requests("/v") == 2);
}

TEST_CASE("over TLS too: interim responses are relayed, a stalled body streams, a hang times out") {
    TestOrigin origin = tls_origin();
    Cachet cachet(origin_url(origin), trusting({"--first-byte-timeout", "500ms"}));
    Reply early = get(cachet.port(), "/i?interim=103&delay_ms=100&cc=no-store");
    REQUIRE_MESSAGE(early.ok(), early.describe());
    REQUIRE(early.interim.size() == 1);
    CHECK(early.interim[0].status == 103);

    Reply streamed = get(cachet.port(), "/s?size=200000&stall_after=1000&stall_ms=300&cc=no-store");
    REQUIRE_MESSAGE(streamed.ok(), streamed.describe());
    CHECK(streamed.body == pattern_bytes(0, 200000));

    Reply hung = get(cachet.port(), "/h?hang=1");
    CHECK(hung.status == 504);
    CHECK(hung.body == "origin did not answer in time\n");
}

TEST_CASE("a slow client's pass-through from an https origin pauses and resumes, bytes intact") {
    TestOrigin origin = tls_origin();
    Cachet cachet(origin_url(origin), trusting({"--origin-idle-timeout", "5s"}));
    constexpr std::size_t size = 8 * 1024 * 1024;
    SlowReader client(cachet.port(),
                      http_request("GET", "/pass?cc=no-store&size=" + std::to_string(size)));
    REQUIRE(client.connected());
    // Reading nothing for a while: the origin side pauses with decrypted bytes still held by
    // its session, and must hand them on when the client drains, not wait for a socket read.
    std::this_thread::sleep_for(500ms);
    std::string response = client.read_response(size, Deadline::after(20s));
    const std::size_t body_at = response.find("\r\n\r\n");
    REQUIRE(body_at != std::string::npos);
    CHECK(response.compare(0, 12, "HTTP/1.1 200") == 0);
    CHECK(response.size() - body_at - 4 == size);
    CHECK(response.substr(body_at + 4) == pattern_bytes(0, size));
}

TEST_CASE("an exchange with an https origin is recorded, and replayed with the origin gone") {
    TempDir dir("tls");
    const std::string snapshot = dir.path("api.snapshot");
    {
        TestOrigin origin = tls_origin();
        Cachet recording(origin_url(origin),
                         trusting({"--mode", "record", "--snapshot", snapshot}));
        Reply r = get(recording.port(), "/rec?size=700&cc=no-store");
        REQUIRE(r.status == 200);
        REQUIRE(recording.stop().clean());
    }
    Cachet replaying("", {"--mode", "replay", "--snapshot", snapshot});
    Reply r = get(replaying.port(), "/rec?size=700&cc=no-store");
    CHECK(r.status == 200);
    CHECK(r.body == pattern_bytes(0, 700));
}

}  // namespace
}  // namespace cachet::integration
