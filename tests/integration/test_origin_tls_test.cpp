// The test origin in TLS mode, the harness's TLS client and its certificates, checked against each
// other without cachet: when a cachet TLS test fails, these say whether the instrument is wrong.
#include <doctest/doctest.h>
#include <openssl/x509_vfy.h>

#include <string>

#include "harness/certificates.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "harness/tls_client.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

using tools::pattern_bytes;

TestOrigin tls_origin(const CertificateFiles& files = test_certificates().localhost) {
    return TestOrigin::tls(files.cert, files.key);
}

TlsOptions verifying(std::string server_name = "localhost") {
    return {.server_name = std::move(server_name), .ca_file = test_certificates().ca};
}

TEST_CASE("the TLS test origin serves keep-alive requests and counts one full handshake") {
    TestOrigin origin = tls_origin();
    CHECK(origin.url() == "https://127.0.0.1:" + std::to_string(origin.port()));
    Deadline deadline = Deadline::after(10s);
    TlsConnection conn(origin.port(), verifying(), deadline);
    REQUIRE_MESSAGE(conn.established(), conn.error());
    CHECK(conn.alpn() == "http/1.1");
    CHECK(conn.peer_common_name() == kLocalhostCommonName);
    CHECK_FALSE(conn.resumed());
    for (int i = 0; i < 3; ++i) {
        Reply r = conn.exchange(http_request("GET", "/a?size=50000"), deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.body == pattern_bytes(0, 50000));
    }
    CHECK(origin.requests("/a") == 3);
    CHECK(origin.connections() == 1);
    CHECK(origin.tls_handshakes() == 1);
    CHECK(origin.tls_handshakes() == 1);  // reading /__stats over TLS counts no handshake
    CHECK(origin.tls_resumed() == 0);
    CHECK(origin.tls_failures() == 0);
}

TEST_CASE("a second connection offering the saved session resumes, and is counted as resumed") {
    TestOrigin origin = tls_origin();
    Deadline deadline = Deadline::after(10s);
    SavedSession session;
    {
        TlsConnection first(origin.port(), verifying(), deadline);
        REQUIRE_MESSAGE(first.established(), first.error());
        REQUIRE(first.exchange(http_request("GET", "/first"), deadline).ok());
        session = first.session();  // after a response: the TLS 1.3 ticket has arrived
    }
    REQUIRE(session);
    TlsOptions resuming = verifying();
    resuming.resume = session.get();
    TlsConnection second(origin.port(), resuming, deadline);
    REQUIRE_MESSAGE(second.established(), second.error());
    CHECK(second.resumed());
    CHECK(second.exchange(http_request("GET", "/second"), deadline).ok());
    CHECK(origin.tls_handshakes() == 1);
    CHECK(origin.tls_resumed() == 1);
}

TEST_CASE("a plain HTTP client on the TLS port is a failed handshake, and is closed") {
    TestOrigin origin = tls_origin();
    Deadline deadline = Deadline::after(10s);
    HttpConnection plain(origin.port(), deadline);
    REQUIRE(plain.connected());
    REQUIRE(plain.send(http_request("GET", "/a"), deadline));
    CHECK(plain.wait_closed(deadline));
    CHECK(origin.tls_failures() == 1);
    CHECK(origin.tls_handshakes() == 0);
    CHECK(origin.total_requests() == 0);
}

TEST_CASE("POST /__reset zeroes the TLS counters with the others") {
    TestOrigin origin = tls_origin();
    REQUIRE(tls_get(origin.port(), "/a", verifying()).ok());
    REQUIRE(fetch(origin.port(), http_request("GET", "/plain"), 5s).outcome != Outcome::complete);
    REQUIRE(origin.tls_failures() == 1);
    Deadline deadline = Deadline::after(10s);
    TlsConnection conn(origin.port(), {}, deadline);
    REQUIRE(conn.exchange(http_request("POST", "/__reset"), deadline).ok());
    CHECK(origin.tls_handshakes() == 0);
    CHECK(origin.tls_failures() == 0);
    CHECK(origin.total_requests() == 0);
}

TEST_CASE("the valid test certificates verify against the test CA, by name and by address") {
    for (const auto* files : {&test_certificates().localhost, &test_certificates().localhost_2}) {
        TestOrigin origin = tls_origin(*files);
        for (const char* name : {"localhost", "127.0.0.1"}) {
            CAPTURE(name);
            TlsConnection conn(origin.port(), verifying(name), Deadline::after(10s));
            REQUIRE_MESSAGE(conn.established(), conn.error());
            CHECK(conn.verify_result() == X509_V_OK);
        }
    }
    TestOrigin first = tls_origin(test_certificates().localhost);
    TestOrigin second = tls_origin(test_certificates().localhost_2);
    CHECK(TlsConnection(first.port(), verifying(), Deadline::after(10s)).peer_common_name() ==
          kLocalhostCommonName);
    CHECK(TlsConnection(second.port(), verifying(), Deadline::after(10s)).peer_common_name() ==
          kLocalhost2CommonName);
}

TEST_CASE("the other test certificates fail verification with the X509 error they are made for") {
    struct Case {
        const CertificateFiles& files;
        long expected;
    };
    const auto& certs = test_certificates();
    for (const Case& c : {Case{certs.expired, X509_V_ERR_CERT_HAS_EXPIRED},
                          Case{certs.other_name, X509_V_ERR_HOSTNAME_MISMATCH},
                          Case{certs.self_signed, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT}}) {
        CAPTURE(c.files.cert);
        TestOrigin origin = tls_origin(c.files);
        TlsConnection conn(origin.port(), verifying(), Deadline::after(10s));
        CHECK_FALSE(conn.established());
        CHECK_MESSAGE(conn.verify_result() == c.expected, conn.error());
        // The client's alert ends the handshake at the origin too.
        CHECK(origin.tls_failures() == 1);
        // Unverified, the same certificate is served.
        TlsConnection unverified(origin.port(), {}, Deadline::after(10s));
        CHECK_MESSAGE(unverified.established(), unverified.error());
    }
}

TEST_CASE("scripted responses come over TLS as they do over plain HTTP") {
    TestOrigin origin = tls_origin();
    auto over_tls = [&](const std::string& target) {
        return tls_get(origin.port(), target, verifying());
    };
    Reply chunked = over_tls("/c?size=100000&chunked=1&chunk_size=7000");
    REQUIRE_MESSAGE(chunked.ok(), chunked.describe());
    CHECK(chunked.chunked);
    CHECK(chunked.body == pattern_bytes(0, 100000));

    Reply interim = over_tls("/i?interim=103&interim_header=Link:%3C/s.css%3E");
    REQUIRE_MESSAGE(interim.ok(), interim.describe());
    REQUIRE(interim.interim.size() == 1);
    CHECK(interim.interim[0].status == 103);

    Reply stalled = over_tls("/s?size=1000&stall_after=100&stall_ms=200");
    REQUIRE_MESSAGE(stalled.ok(), stalled.describe());
    CHECK(stalled.body == pattern_bytes(0, 1000));
    CHECK(ms_between(stalled.first_body_at, stalled.done_at) >= 150);

    Reply dripped = over_tls("/d?drip_ms=1&body=slow");
    REQUIRE_MESSAGE(dripped.ok(), dripped.describe());
    CHECK(dripped.body == "slow");

    Reply bad = over_tls("/b?bad=header");
    CHECK(bad.outcome == Outcome::malformed);
}

TEST_CASE("over TLS, each scripted ending is the close a TLS client can tell apart") {
    TestOrigin origin = tls_origin();
    auto ending_of = [&](const std::string& target, Outcome expected) {
        CAPTURE(target);
        Deadline deadline = Deadline::after(10s);
        TlsConnection conn(origin.port(), verifying(), deadline);
        REQUIRE_MESSAGE(conn.established(), conn.error());
        Reply r = conn.exchange(http_request("GET", target), deadline);
        CHECK_MESSAGE(r.outcome == expected, r.describe());
        CHECK(conn.wait_closed(deadline));
        return conn.end();
    };
    // A close-delimited body ends with close_notify (RFC 9112 §9.8), unless told otherwise.
    CHECK(ending_of("/close?close=1&size=5000", Outcome::complete) == TlsEnd::close_notify);
    CHECK(ending_of("/close?close=1&close_notify=0&size=5000", Outcome::complete) ==
          TlsEnd::without_notify);
    // A truncation is a cut connection: no close_notify, as if the origin crashed.
    CHECK(ending_of("/t?size=5000&truncate=1000", Outcome::truncated) == TlsEnd::without_notify);
    // A reset is an RST with nothing before it.
    CHECK(ending_of("/r?reset=1", Outcome::reset) == TlsEnd::reset);

    // Connection: close is a graceful end: close_notify, then FIN.
    Deadline deadline = Deadline::after(10s);
    TlsConnection conn(origin.port(), verifying(), deadline);
    REQUIRE(conn.established());
    Reply r = conn.exchange(http_request("GET", "/last", {"Connection: close"}), deadline);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(conn.wait_closed(deadline));
    CHECK(conn.end() == TlsEnd::close_notify);
}

}  // namespace
}  // namespace cachet::integration
