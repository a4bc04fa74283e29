#include "tls/session.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls/openssl_error.hpp"

namespace cachet::tls {
namespace {

// Letters, digits, '-' and '.' (and '*' for a wildcard the certificate may hold): what a
// certificate's DNS name can match. "host:443" or "[::1]" is not one.
bool is_host_name(const std::string& name) {
    return name.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") ==
           std::string::npos;
}

}  // namespace

void Session::SslFree::operator()(SSL* ssl) const noexcept {
    // A connection that ends without our close_notify (an idle close, a reset, a timeout)
    // leaves its session resumable: OpenSSL would otherwise mark it bad, and the pool that
    // holds it would make a full handshake next time. Only established sessions ever reach
    // a pool (tls/context.hpp), so a failed handshake's session is never kept.
    if (SSL_is_init_finished(ssl)) SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl);
}

Session::Session(SSL* ssl) : ssl_(ssl) {
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    // An empty memory BIO reads as "retry later", not as the end of the stream.
    BIO_set_mem_eof_return(in_, -1);
    BIO_set_mem_eof_return(out_, -1);
    SSL_set_bio(ssl, in_, out_);
}

Session Session::client(SSL_CTX* context, const std::string& server_name, bool verify_name,
                        SSL_SESSION* resume) {
    SSL* ssl = SSL_new(context);
    if (!ssl) return {};
    Session session(ssl);
    SSL_set_connect_state(ssl);
    // SNI carries a host name only, never an address literal (RFC 6066 §3).
    const bool is_address = server_name.find(':') != std::string::npos ||
                            server_name.find_first_not_of("0123456789.") == std::string::npos;
    if (!server_name.empty() && !is_address) SSL_set_tlsext_host_name(ssl, server_name.c_str());
    if (verify_name) {
        // A name that cannot be checked is refused here: the chain alone would then be
        // verified, and any certificate of a trusted CA would pass for this server.
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        const int named = server_name.empty() ? 0
                          : is_address ? X509_VERIFY_PARAM_set1_ip_asc(param, server_name.c_str())
                                       : X509_VERIFY_PARAM_set1_host(param, server_name.c_str(),
                                                                     server_name.size());
        if (named != 1 || (!is_address && !is_host_name(server_name))) return {};
    }
    if (resume) SSL_set_session(ssl, resume);
    return session;
}

Session Session::server(SSL_CTX* context) {
    SSL* ssl = SSL_new(context);
    if (!ssl) return {};
    Session session(ssl);
    SSL_set_accept_state(ssl);
    return session;
}

void Session::feed(const char* data, std::size_t size) {
    if (size > 0) BIO_write(in_, data, static_cast<int>(size));
}

Handshake Session::handshake() {
    if (established_) return Handshake::done;
    ERR_clear_error();
    int rc = SSL_do_handshake(ssl_.get());
    if (rc == 1) {
        established_ = true;
        return Handshake::done;
    }
    int code = SSL_get_error(ssl_.get(), rc);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return Handshake::more;
    note_failure(code);
    return Handshake::failed;
}

ReadResult Session::read(char* out, std::size_t capacity) {
    ERR_clear_error();
    std::size_t got = 0;
    if (SSL_read_ex(ssl_.get(), out, capacity, &got) == 1) return {ReadStatus::data, got};
    int code = SSL_get_error(ssl_.get(), 0);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return {ReadStatus::more};
    if (code == SSL_ERROR_ZERO_RETURN) return {ReadStatus::closed};
    note_failure(code);
    return {ReadStatus::failed};
}

bool Session::holds_input() const noexcept {
    return SSL_pending(ssl_.get()) > 0 || BIO_ctrl_pending(in_) > 0;
}

bool Session::write(std::string_view bytes) {
    if (bytes.empty()) return true;
    ERR_clear_error();
    std::size_t written = 0;
    // The output BIO is memory: a write takes everything at once or fails.
    if (SSL_write_ex(ssl_.get(), bytes.data(), bytes.size(), &written) == 1) return true;
    note_failure(SSL_get_error(ssl_.get(), 0));
    return false;
}

void Session::shutdown() {
    if (!established_) return;
    ERR_clear_error();
    SSL_shutdown(ssl_.get());
}

std::span<const char> Session::output() const noexcept {
    char* data = nullptr;
    long size = BIO_get_mem_data(out_, &data);
    return {data, size > 0 ? static_cast<std::size_t>(size) : 0};
}

void Session::consume_output() noexcept { (void)BIO_reset(out_); }

std::string_view Session::alpn() const noexcept {
    const unsigned char* protocol = nullptr;
    unsigned length = 0;
    SSL_get0_alpn_selected(ssl_.get(), &protocol, &length);
    return {reinterpret_cast<const char*>(protocol), length};
}

void Session::note_failure(int code) {
    // Without SSL_VERIFY_PEER (insecure) the result is computed but not enforced: a failure
    // then is never the certificate's.
    const bool verifies = (SSL_get_verify_mode(ssl_.get()) & SSL_VERIFY_PEER) != 0;
    verify_error_ = verifies ? SSL_get_verify_result(ssl_.get()) : X509_V_OK;
    if (verify_error_ != X509_V_OK) {
        failure_ = X509_verify_cert_error_string(verify_error_);
        return;
    }
    failure_ = code == SSL_ERROR_SSL ? openssl_error_text() : "connection failed";
}

}  // namespace cachet::tls
