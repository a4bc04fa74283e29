#include "tls/session.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "test_certificates.hpp"
#include "tls/context.hpp"
#include "tls/ticket_keys.hpp"
#include "tls/verify_failure.hpp"

using namespace cachet;
using namespace cachet::tls;
using cachet::tls::testing::CertificateFiles;
using cachet::tls::testing::test_certificates;

namespace {

ContextPtr server_context(const CertificateFiles& files, TicketKeys& tickets) {
    auto context = make_server_context(files.cert_file, files.key_file, tickets);
    REQUIRE_MESSAGE(context, context.error());
    return std::move(*context);
}

ContextPtr client_context(ClientSettings settings) {
    auto context = make_client_context(settings);
    REQUIRE_MESSAGE(context, context.error());
    return std::move(*context);
}

ContextPtr trusting_client() { return client_context({.ca_file = test_certificates().ca_file}); }

// Moves what `from` has written into `to`, as a socket would.
void carry(Session& from, Session& to) {
    auto bytes = from.output();
    to.feed(bytes.data(), bytes.size());
    from.consume_output();
}

struct Handshakes {
    Handshake client = Handshake::more;
    Handshake server = Handshake::more;
    bool both_done() const { return client == Handshake::done && server == Handshake::done; }
};

// Steps both sides, carrying their records across, until each is done or one failed (then
// the other gets the alert and has its say too). A TLS 1.3 handshake takes two rounds.
Handshakes handshake_both(Session& client, Session& server) {
    Handshakes state;
    for (int round = 0; round < 8 && !state.both_done(); ++round) {
        state.client = client.handshake();
        carry(client, server);
        state.server = server.handshake();
        carry(server, client);
        if (state.client == Handshake::failed || state.server == Handshake::failed) {
            if (state.client != Handshake::failed) state.client = client.handshake();
            break;
        }
    }
    return state;
}

// All plaintext `to` can read now, after what `from` wrote has been carried across.
std::string receive(Session& from, Session& to) {
    carry(from, to);
    std::string got;
    char buffer[4096];
    while (true) {
        ReadResult result = to.read(buffer, sizeof buffer);
        if (result.status != ReadStatus::data) break;
        got.append(buffer, result.bytes);
    }
    return got;
}

// Keeps the session a client context hands over once the TLS 1.3 ticket arrived.
struct SavedSession final : SessionSink {
    void on_new_session(SessionPtr fresh) noexcept override { session = std::move(fresh); }
    SessionPtr session;
};

// How the first connection ends: OpenSSL marks the session of an SSL freed before it sent
// close_notify as not resumable (ssl_clear_bad_session), the one the sink holds included.
enum class Ending { close_notify, dropped };

// A full connection that reads once after the handshake so the ticket is processed; the
// session the sink was handed, or null when the server sent none.
SessionPtr first_session(SSL_CTX* client_ctx, SSL_CTX* server_ctx,
                         Ending ending = Ending::close_notify) {
    SavedSession saved;
    Session client = Session::client(client_ctx, "localhost", true, nullptr);
    Session server = Session::server(server_ctx);
    SSL_set_app_data(client.native(), &saved);
    REQUIRE(handshake_both(client, server).both_done());
    CHECK_FALSE(client.resumed());
    CHECK(receive(server, client).empty());  // the ticket is a handshake message, not data
    SSL_set_app_data(client.native(), nullptr);
    if (ending == Ending::close_notify) client.shutdown();
    return std::move(saved.session);
}

// A second connection offering `session`: whether the server accepted it.
bool resumes(SSL_CTX* client_ctx, SSL_CTX* server_ctx, SSL_SESSION* session) {
    Session client = Session::client(client_ctx, "localhost", true, session);
    Session server = Session::server(server_ctx);
    REQUIRE(handshake_both(client, server).both_done());
    CHECK(client.resumed() == server.resumed());
    return client.resumed();
}

// The Errc a client's failed handshake against `served` reports.
Errc verification_failure(const CertificateFiles& served, const std::string& server_name) {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(served, tickets);
    ContextPtr client_ctx = trusting_client();
    Session client = Session::client(client_ctx.get(), server_name, true, nullptr);
    Session server = Session::server(server_ctx.get());
    Handshakes state = handshake_both(client, server);
    REQUIRE(state.client == Handshake::failed);
    CHECK(state.server == Handshake::failed);  // the client's alert ends it there too
    CHECK_FALSE(client.failure_text().empty());
    return verify_failure(client.verify_error());
}

}  // namespace

TEST_CASE("a client that trusts the CA completes the handshake and plaintext goes both ways") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    Session client = Session::client(client_ctx.get(), "localhost", true, nullptr);
    Session server = Session::server(server_ctx.get());
    REQUIRE(client);
    REQUIRE(server);

    REQUIRE(handshake_both(client, server).both_done());
    CHECK(client.established());
    CHECK(server.established());
    CHECK(client.verify_error() == X509_V_OK);

    const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    REQUIRE(client.write(request));
    CHECK(receive(client, server) == request);
    const std::string response(100'000, 'r');  // several TLS records
    REQUIRE(server.write(response));
    CHECK(receive(server, client) == response);
    CHECK(client.output().empty());
}

TEST_CASE("ALPN agrees on http/1.1 on both sides") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    Session client = Session::client(client_ctx.get(), "localhost", true, nullptr);
    Session server = Session::server(server_ctx.get());
    REQUIRE(handshake_both(client, server).both_done());
    CHECK(client.alpn() == "http/1.1");
    CHECK(server.alpn() == "http/1.1");
}

TEST_CASE("a host name is sent as SNI, an address literal is not (RFC 6066 §3)") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    auto sni_seen_for = [&](const std::string& server_name) -> std::string {
        Session client = Session::client(client_ctx.get(), server_name, true, nullptr);
        Session server = Session::server(server_ctx.get());
        REQUIRE(handshake_both(client, server).both_done());
        const char* sni = SSL_get_servername(server.native(), TLSEXT_NAMETYPE_host_name);
        return sni ? sni : "";
    };
    CHECK(sni_seen_for("localhost") == "localhost");
    CHECK(sni_seen_for("127.0.0.1").empty());  // verified against the certificate's IP SAN
}

TEST_CASE("a certificate for another name fails as a hostname mismatch, by name or address") {
    CHECK(verification_failure(test_certificates().other_name, "localhost") ==
          Errc::origin_tls_hostname_mismatch);
    CHECK(verification_failure(test_certificates().other_name, "127.0.0.1") ==
          Errc::origin_tls_hostname_mismatch);
}

TEST_CASE("an expired certificate fails as expired") {
    CHECK(verification_failure(test_certificates().expired, "localhost") ==
          Errc::origin_tls_expired);
}

TEST_CASE("a self-signed certificate no trusted CA issued fails as untrusted") {
    CHECK(verification_failure(test_certificates().self_signed, "localhost") ==
          Errc::origin_tls_untrusted);
}

TEST_CASE("an insecure client accepts the self-signed certificate") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().self_signed, tickets);
    ContextPtr client_ctx = client_context({.ca_file = "", .insecure = true});
    Session client = Session::client(client_ctx.get(), "localhost", true, nullptr);
    Session server = Session::server(server_ctx.get());
    REQUIRE(handshake_both(client, server).both_done());
    REQUIRE(client.write("ping"));
    CHECK(receive(client, server) == "ping");
}

TEST_CASE("plain HTTP sent to a server session fails its handshake") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    Session server = Session::server(server_ctx.get());
    const std::string_view garbage = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    server.feed(garbage.data(), garbage.size());
    CHECK(server.handshake() == Handshake::failed);
    CHECK_FALSE(server.established());
    CHECK(server.verify_error() == X509_V_OK);
    CHECK(verify_failure(server.verify_error()) == Errc::origin_tls_handshake);
    CHECK_FALSE(server.failure_text().empty());
    CHECK(server.handshake() == Handshake::failed);  // and stays failed
}

TEST_CASE("a session from a first connection resumes on a second") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    SessionPtr session = first_session(client_ctx.get(), server_ctx.get());
    REQUIRE(session);
    CHECK(resumes(client_ctx.get(), server_ctx.get(), session.get()));
}

TEST_CASE("a session resumes on a new server context made with the same ticket keys") {
    TicketKeys tickets;
    ContextPtr before_reload = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    SessionPtr session = first_session(client_ctx.get(), before_reload.get());
    REQUIRE(session);
    ContextPtr after_reload = server_context(test_certificates().localhost, tickets);
    CHECK(resumes(client_ctx.get(), after_reload.get(), session.get()));
}

TEST_CASE("a session does not resume on a server with other ticket keys: a full handshake") {
    TicketKeys first_keys;
    TicketKeys other_keys;
    ContextPtr first = server_context(test_certificates().localhost, first_keys);
    ContextPtr other = server_context(test_certificates().localhost, other_keys);
    ContextPtr client_ctx = trusting_client();
    SessionPtr session = first_session(client_ctx.get(), first.get());
    REQUIRE(session);
    CHECK_FALSE(resumes(client_ctx.get(), other.get(), session.get()));
}

// OpenSSL marks the session of an SSL freed before it sent close_notify as not resumable
// (ssl_clear_bad_session), and the sink holds that very object: Session marks an established
// connection as shut down before it frees it, so an origin's idle close costs no resumption.
TEST_CASE("a session whose connection was dropped without close_notify still resumes") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    SessionPtr session = first_session(client_ctx.get(), server_ctx.get(), Ending::dropped);
    REQUIRE(session);
    CHECK(SSL_SESSION_has_ticket(session.get()) == 1);
    CHECK(SSL_SESSION_is_resumable(session.get()));
    CHECK(resumes(client_ctx.get(), server_ctx.get(), session.get()));
}

TEST_CASE("the peer's close_notify reads as closed") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    Session client = Session::client(client_ctx.get(), "localhost", true, nullptr);
    Session server = Session::server(server_ctx.get());
    REQUIRE(handshake_both(client, server).both_done());
    REQUIRE(server.write("last words"));
    server.shutdown();
    carry(server, client);
    char buffer[64];
    ReadResult data = client.read(buffer, sizeof buffer);
    REQUIRE(data.status == ReadStatus::data);
    CHECK(std::string_view(buffer, data.bytes) == "last words");
    CHECK(client.read(buffer, sizeof buffer).status == ReadStatus::closed);
}

TEST_CASE("a client reading before the server said anything more is told to wait") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().localhost, tickets);
    ContextPtr client_ctx = trusting_client();
    Session client = Session::client(client_ctx.get(), "localhost", true, nullptr);
    Session server = Session::server(server_ctx.get());
    REQUIRE(handshake_both(client, server).both_done());
    char buffer[64];
    CHECK(client.read(buffer, sizeof buffer).status == ReadStatus::more);
    CHECK_FALSE(client.holds_input());
}

TEST_CASE("a server context names the file it could not use") {
    TicketKeys tickets;
    const auto& files = test_certificates();
    auto missing = make_server_context("/nonexistent/cert.pem", files.localhost.key_file, tickets);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().find("/nonexistent/cert.pem") != std::string::npos);
    auto mismatched =
        make_server_context(files.localhost.cert_file, files.other_name.key_file, tickets);
    REQUIRE_FALSE(mismatched);
    CHECK(mismatched.error().find(files.other_name.key_file) != std::string::npos);
    CHECK(mismatched.error().find("mismatch") != std::string::npos);
}

// A server name that is neither a host name nor an address OpenSSL can parse ("[::1]",
// "host:port", "1.2.3") would leave the chain verified with no name at all, so that any
// certificate the CA issued passed: Session::client refuses it.
TEST_CASE("a server name that cannot be checked never skips the name check") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().other_name, tickets);
    ContextPtr client_ctx = trusting_client();
    for (const std::string name : {"[::1]", "localhost:443", "1.2.3"}) {
        CAPTURE(name);
        Session client = Session::client(client_ctx.get(), name, true, nullptr);
        if (!client) continue;  // refused at once: as good as a failed handshake
        Session server = Session::server(server_ctx.get());
        CHECK(handshake_both(client, server).client == Handshake::failed);
    }
}

// An insecure client still has OpenSSL's unenforced verification result: a handshake that
// fails for another reason must not be reported as the certificate's fault.
TEST_CASE("an insecure client's protocol failure is not blamed on the certificate") {
    TicketKeys tickets;
    ContextPtr server_ctx = server_context(test_certificates().self_signed, tickets);
    ContextPtr client_ctx = client_context({.ca_file = "", .insecure = true});
    Session client = Session::client(client_ctx.get(), "localhost", true, nullptr);
    Session server = Session::server(server_ctx.get());
    client.handshake();
    carry(client, server);
    server.handshake();
    auto output = server.output();
    std::string flight(output.data(), output.size());
    server.consume_output();
    flight[flight.size() - 5] ^= 0x55;  // inside the server's encrypted Finished
    client.feed(flight.data(), flight.size());
    REQUIRE(client.handshake() == Handshake::failed);
    CHECK(verify_failure(client.verify_error()) == Errc::origin_tls_handshake);
}
