#include "tls/session.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>

#include "tls/openssl_error.hpp"

namespace cachet::tls {
namespace {

// SSL_get_error reads the thread's error queue, so it must be empty before each call; but
// ERR_clear_error costs about 2,000 instructions even when it is (OpenSSL 3.0 frees every
// slot's strings), which is more than decrypting a request: it is emptied only when not.
void clear_errors() noexcept {
    if (ERR_peek_error() != 0) ERR_clear_error();
}

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

// Ciphertext fed and not yet read by OpenSSL (from in_at on), and ciphertext OpenSSL wrote
// and the caller has not taken. Plain strings, reused: OpenSSL's memory BIO would zero its
// whole buffer on every reset, and take a BIO_ctrl for every look at it.
struct Session::Buffers {
    std::string in;
    std::size_t in_at = 0;
    std::string out;
};

void Session::BuffersFree::operator()(Buffers* buffers) const noexcept { delete buffers; }

namespace {

// What a buffer may keep when emptied: an idle connection does not hold on to the largest
// response it ever sent.
constexpr std::size_t kKeptCapacity = 32 * 1024;

void empty(std::string& bytes) {
    bytes.clear();
    if (bytes.capacity() > kKeptCapacity) bytes.shrink_to_fit();
}

int write_out(BIO* bio, const char* data, std::size_t size, std::size_t* written) {
    static_cast<Session::Buffers*>(BIO_get_data(bio))->out.append(data, size);
    *written = size;
    return 1;
}

int read_in(BIO* bio, char* to, std::size_t size, std::size_t* read) {
    auto& buffers = *static_cast<Session::Buffers*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    const std::size_t left = buffers.in.size() - buffers.in_at;
    if (left == 0) {
        BIO_set_retry_read(bio);  // nothing yet: "retry later", never the end of the stream
        *read = 0;
        return 0;
    }
    const std::size_t n = std::min(size, left);
    std::memcpy(to, buffers.in.data() + buffers.in_at, n);
    buffers.in_at += n;
    if (buffers.in_at == buffers.in.size()) {
        empty(buffers.in);
        buffers.in_at = 0;
    }
    *read = n;
    return 1;
}

long control(BIO* bio, int command, long, void*) {
    const auto& buffers = *static_cast<const Session::Buffers*>(BIO_get_data(bio));
    switch (command) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_PENDING: return static_cast<long>(buffers.in.size() - buffers.in_at);
    case BIO_CTRL_WPENDING: return static_cast<long>(buffers.out.size());
    default: return 0;
    }
}

BIO_METHOD* buffers_method() {
    static BIO_METHOD* const method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cachet buffers");
        BIO_meth_set_write_ex(m, write_out);
        BIO_meth_set_read_ex(m, read_in);
        BIO_meth_set_ctrl(m, control);
        BIO_meth_set_create(m, [](BIO* bio) {
            BIO_set_init(bio, 1);
            return 1;
        });
        return m;
    }();
    return method;
}

}  // namespace

Session::Session(SSL* ssl) : buffers_(new Buffers), ssl_(ssl) {
    BIO* bio = BIO_new(buffers_method());
    BIO_set_data(bio, buffers_.get());
    SSL_set_bio(ssl, bio, bio);  // one BIO both ways; the SSL owns it
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

void Session::feed(const char* data, std::size_t size) { buffers_->in.append(data, size); }

Handshake Session::handshake() {
    if (established_) return Handshake::done;
    clear_errors();
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
    clear_errors();
    std::size_t got = 0;
    if (SSL_read_ex(ssl_.get(), out, capacity, &got) == 1) return {ReadStatus::data, got};
    int code = SSL_get_error(ssl_.get(), 0);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return {ReadStatus::more};
    if (code == SSL_ERROR_ZERO_RETURN) return {ReadStatus::closed};
    note_failure(code);
    return {ReadStatus::failed};
}

bool Session::holds_input() const noexcept {
    // SSL_has_pending, not SSL_pending: with read-ahead, records past the current one wait
    // undecrypted inside OpenSSL.
    return buffers_->in.size() > buffers_->in_at || SSL_has_pending(ssl_.get()) == 1;
}

bool Session::write(std::string_view bytes) {
    if (bytes.empty()) return true;
    clear_errors();
    std::size_t written = 0;
    // The output BIO is memory: a write takes everything at once or fails.
    if (SSL_write_ex(ssl_.get(), bytes.data(), bytes.size(), &written) == 1) return true;
    note_failure(SSL_get_error(ssl_.get(), 0));
    return false;
}

void Session::shutdown() {
    if (!established_) return;
    clear_errors();
    SSL_shutdown(ssl_.get());
}

std::span<const char> Session::output() const noexcept {
    return {buffers_->out.data(), buffers_->out.size()};
}

void Session::consume_output() noexcept { empty(buffers_->out); }

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
