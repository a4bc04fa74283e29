// cachet terminating TLS: hits and misses over a TLS listener (the harness's OpenSSL client),
// plain and TLS listeners side by side, session resumption, the certificate swapped by SIGHUP
// while a keep-alive connection stays open (and kept when the new files are bad), and what a
// TLS port does with clients that do not speak TLS or never finish their handshake.
#include <signal.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <thread>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/certificates.hpp"
#include "harness/http_client.hpp"
#include "harness/metrics.hpp"
#include "harness/origin.hpp"
#include "harness/temp_dir.hpp"
#include "harness/tls_client.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

using tools::pattern_bytes;

TlsOptions verifying(SSL_SESSION* resume = nullptr) {
    return {.server_name = "localhost", .ca_file = test_certificates().ca, .resume = resume};
}

std::vector<std::string> tls_flags(const CertificateFiles& files,
                                   std::vector<std::string> more = {}) {
    std::vector<std::string> flags = {"--tls-cert", files.cert, "--tls-key", files.key};
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
}

std::string metric(const Cachet& cachet, const std::string& name) {
    return sample(get(cachet.admin_port(), "/metrics").body, name).value_or("(none)");
}

// Waits until `text` has appeared `count` times in cachet's log.
bool await_log(const Cachet& cachet, std::string_view text, int count = 1) {
    Deadline deadline = Deadline::after(10s);
    while (!deadline.expired()) {
        const std::string log = cachet.stderr_text();
        int n = 0;
        for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
        if (n >= count) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

TEST_CASE("a TLS listener serves misses and hits, keep-alive, with ALPN http/1.1") {
    TestOrigin origin;
    Cachet cachet(origin.url(), tls_flags(test_certificates().localhost));
    REQUIRE(cachet.tls_port() == cachet.port());  // --listen itself speaks TLS
    Deadline deadline = Deadline::after(10s);
    TlsConnection conn(cachet.port(), verifying(), deadline);
    REQUIRE_MESSAGE(conn.established(), conn.error());
    CHECK(conn.alpn() == "http/1.1");
    CHECK(conn.peer_common_name() == kLocalhostCommonName);
    const std::string request = http_request("GET", "/a?size=20000&cc=max-age%3D60");
    Reply miss = conn.exchange(request, deadline);
    REQUIRE_MESSAGE(miss.ok(), miss.describe());
    CHECK(cache_status(miss).miss());
    CHECK(miss.body == pattern_bytes(0, 20000));
    for (int i = 0; i < 3; ++i) {
        Reply hit = conn.exchange(request, deadline);
        REQUIRE_MESSAGE(hit.ok(), hit.describe());
        CHECK(cache_status(hit).hit);
        CHECK(hit.body == miss.body);
    }
    Reply small = conn.exchange(http_request("GET", "/s?size=10&cc=max-age%3D60"), deadline);
    CHECK(small.body == pattern_bytes(0, 10));
    CHECK(origin.requests("/a") == 1);
    CHECK(metric(cachet, "cachet_tls_handshakes_total{result=\"full\"}") == "1");
}

TEST_CASE("requests pipelined in back-to-back TLS records are all answered, in order") {
    TestOrigin origin;
    Cachet cachet(origin.url(), tls_flags(test_certificates().localhost));
    Deadline deadline = Deadline::after(10s);
    TlsConnection conn(cachet.port(), verifying(), deadline);
    REQUIRE_MESSAGE(conn.established(), conn.error());
    // One record each, sent before any answer is read: several arrive in one socket read.
    for (int i = 0; i < 20; ++i) {
        REQUIRE(conn.send(http_request("GET", "/p" + std::to_string(i % 4) + "?size=" +
                                                  std::to_string(100 + i % 4) + "&cc=max-age%3D60"),
                          deadline));
    }
    for (int i = 0; i < 20; ++i) {
        Reply r = conn.read_response(deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.body == pattern_bytes(0, 100 + i % 4));
    }
    CHECK(origin.total_requests() == 4);
}

TEST_CASE("a large body streamed to a TLS client arrives whole") {
    TestOrigin origin;
    Cachet cachet(origin.url(), tls_flags(test_certificates().localhost));
    Reply r = tls_get(cachet.port(), "/big?size=3000000&chunked=1&cc=no-store", verifying());
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.body == pattern_bytes(0, 3000000));
}

TEST_CASE("plain and TLS listeners side by side share one store") {
    TestOrigin origin;
    Cachet cachet(origin.url(),
                  tls_flags(test_certificates().localhost, {"--tls-listen", "127.0.0.1:0"}));
    REQUIRE(cachet.tls_port() > 0);
    REQUIRE(cachet.tls_port() != cachet.port());
    Reply plain = get(cachet.port(), "/both?cc=max-age%3D60");
    CHECK(cache_status(plain).miss());
    Reply secure = tls_get(cachet.tls_port(), "/both?cc=max-age%3D60", verifying());
    REQUIRE_MESSAGE(secure.ok(), secure.describe());
    CHECK(cache_status(secure).hit);
    CHECK(origin.requests("/both") == 1);
}

TEST_CASE("a second connection resumes the first's session (a ticket), on any worker") {
    TestOrigin origin;
    Cachet cachet(origin.url(), tls_flags(test_certificates().localhost));
    SavedSession saved;
    {
        TlsConnection first(cachet.port(), verifying(), Deadline::after(10s));
        REQUIRE_MESSAGE(first.established(), first.error());
        REQUIRE(first.exchange(http_request("GET", "/r"), Deadline::after(10s)).ok());
        saved = first.session();
    }
    REQUIRE(saved);
    // A TLS 1.3 ticket is used once: each resumption is given the next one. SO_REUSEPORT
    // spreads the connections over both workers, which share the ticket keys.
    for (int i = 0; i < 4; ++i) {
        TlsConnection again(cachet.port(), verifying(saved.get()), Deadline::after(10s));
        REQUIRE_MESSAGE(again.established(), again.error());
        CHECK(again.resumed());
        CHECK(again.exchange(http_request("GET", "/r"), Deadline::after(10s)).ok());
        saved = again.session();
        REQUIRE(saved);
    }
    CHECK(metric(cachet, "cachet_tls_handshakes_total{result=\"resumed\"}") == "4");
}

TEST_CASE("SIGHUP swaps the certificate; an open connection keeps working; bad files keep it") {
    TestOrigin origin;
    TempDir dir("tls");
    const std::string cert = dir.path("cert.pem");
    const std::string key = dir.path("key.pem");
    const TestCertificates& certs = test_certificates();
    std::filesystem::copy_file(certs.localhost.cert, cert);
    std::filesystem::copy_file(certs.localhost.key, key);
    Cachet cachet(origin.url(), {"--tls-cert", cert, "--tls-key", key},
                  Process::Options{.capture_stderr = true});
    Deadline deadline = Deadline::after(20s);
    TlsConnection kept(cachet.port(), verifying(), deadline);
    REQUIRE_MESSAGE(kept.established(), kept.error());
    CHECK(kept.peer_common_name() == kLocalhostCommonName);
    REQUIRE(kept.exchange(http_request("GET", "/k?cc=max-age%3D60"), deadline).ok());

    const auto overwrite = std::filesystem::copy_options::overwrite_existing;
    std::filesystem::copy_file(certs.localhost_2.cert, cert, overwrite);
    std::filesystem::copy_file(certs.localhost_2.key, key, overwrite);
    REQUIRE(::kill(cachet.pid(), SIGHUP) == 0);
    REQUIRE(await_log(cachet, "\"msg\":\"TLS certificate reloaded\""));
    TlsConnection fresh(cachet.port(), verifying(), deadline);
    REQUIRE_MESSAGE(fresh.established(), fresh.error());
    CHECK(fresh.peer_common_name() == kLocalhost2CommonName);
    Reply still = kept.exchange(http_request("GET", "/k?cc=max-age%3D60"), deadline);
    REQUIRE_MESSAGE(still.ok(), still.describe());
    CHECK(cache_status(still).hit);

    write_file(cert, "not a certificate\n");
    REQUIRE(::kill(cachet.pid(), SIGHUP) == 0);
    REQUIRE(
        await_log(cachet, "\"msg\":\"TLS certificate reload failed; keeping the running one\""));
    TlsConnection after_bad(cachet.port(), verifying(), deadline);
    REQUIRE_MESSAGE(after_bad.established(), after_bad.error());
    CHECK(after_bad.peer_common_name() == kLocalhost2CommonName);
}

TEST_CASE("a plain-HTTP client, or garbage, on the TLS port is closed and counted") {
    TestOrigin origin;
    Cachet cachet(origin.url(), tls_flags(test_certificates().localhost));
    Reply plain = get(cachet.port(), "/p");
    CHECK_FALSE(plain.ok());
    CHECK(plain.status == 0);

    HttpConnection garbage(cachet.port(), Deadline::after(5s));
    REQUIRE(garbage.send(std::string("\x16\x03\x01\x00\x05hello-not-a-hello", 22),
                         Deadline::after(5s)));
    Reply nothing = garbage.read_response(Deadline::after(5s));
    CHECK_FALSE(nothing.ok());
    CHECK(metric(cachet, "cachet_tls_handshakes_total{result=\"failed\"}") == "2");
    // The port still serves TLS.
    CHECK(tls_get(cachet.port(), "/p", verifying()).ok());
    CHECK(origin.requests("/p") == 1);
}

TEST_CASE("a handshake that never completes is closed by --client-timeout") {
    TestOrigin origin;
    Cachet cachet(origin.url(),
                  tls_flags(test_certificates().localhost, {"--client-timeout", "1s"}));
    // A TCP connection that sends the first bytes of a ClientHello and then nothing.
    HttpConnection stalled(cachet.port(), Deadline::after(5s));
    REQUIRE(stalled.send(std::string("\x16\x03\x01\x02\x00\x01", 6), Deadline::after(5s)));
    const auto started = Clock::now();
    Reply r = stalled.read_response(Deadline::after(10s));
    CHECK(r.outcome != Outcome::timeout);
    CHECK(Clock::now() - started < 5s);
    CHECK(Clock::now() - started >= 900ms);
}

TEST_CASE("a certificate that cannot be used stops the start, naming the file") {
    TempDir dir("tls");
    const std::string bad = dir.path("bad.pem");
    write_file(bad, "not a certificate\n");
    Process p({cachet_binary(), "--origin", "http://127.0.0.1:9", "--listen", "127.0.0.1:0",
               "--admin", "off", "--tls-cert", bad, "--tls-key", test_certificates().localhost.key},
              Process::Options{.capture_stderr = true});
    auto status = p.wait_exit(Deadline::after(10s));
    REQUIRE(status.has_value());
    CHECK(status->code == 1);
    CHECK(p.stderr_text().find("cachet: --tls-cert: " + bad + ": no certificate read") !=
          std::string::npos);
}

}  // namespace
}  // namespace cachet::integration
