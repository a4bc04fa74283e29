#include "harness/tls_client.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "harness/http_client.hpp"
#include "harness/response_parser.hpp"

namespace cachet::integration {
namespace {

// ALPN's wire form: length-prefixed names.
constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// OpenSSL writes to the socket with write(2), not send(MSG_NOSIGNAL): a server that already
// closed would end the test process with SIGPIPE instead of failing one check.
void ignore_sigpipe_once() {
    static const bool ignored = [] {
        std::signal(SIGPIPE, SIG_IGN);
        return true;
    }();
    (void)ignored;
}

bool is_address(const std::string& name) {
    unsigned char bytes[16];
    return inet_pton(AF_INET, name.c_str(), bytes) == 1 ||
           inet_pton(AF_INET6, name.c_str(), bytes) == 1;
}

std::string openssl_error_text() {
    unsigned long last = 0;
    while (unsigned long e = ERR_get_error()) last = e;
    if (last == 0) return "connection closed during the handshake";
    char text[256];
    ERR_error_string_n(last, text, sizeof text);
    return text;
}

}  // namespace

std::string_view name(TlsEnd end) noexcept {
    switch (end) {
    case TlsEnd::open: return "open";
    case TlsEnd::close_notify: return "close_notify";
    case TlsEnd::without_notify: return "without_notify";
    case TlsEnd::reset: return "reset";
    }
    return "?";
}

TlsConnection::TlsConnection(int port, const TlsOptions& options, Deadline deadline) {
    ignore_sigpipe_once();
    fd_ = connect_loopback(port, deadline, error_);
    if (fd_ < 0) return;
    context_ = SSL_CTX_new(TLS_client_method());
    if (!context_) throw HarnessError("SSL_CTX_new failed");
    SSL_CTX_set_min_proto_version(context_, TLS1_2_VERSION);
    const bool verify = !options.ca_file.empty();
    if (verify && SSL_CTX_load_verify_locations(context_, options.ca_file.c_str(), nullptr) != 1)
        throw HarnessError("cannot read CA certificates from " + options.ca_file);
    SSL_CTX_set_verify(context_, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);

    ssl_ = SSL_new(context_);
    if (!ssl_) throw HarnessError("SSL_new failed");
    SSL_set_fd(ssl_, fd_);
    SSL_set_alpn_protos(ssl_, kHttp11, sizeof kHttp11);
    const std::string& name = options.server_name;
    if (!name.empty() && !is_address(name)) SSL_set_tlsext_host_name(ssl_, name.c_str());
    if (verify && !name.empty()) {
        if (is_address(name)) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), name.c_str());
        } else {
            SSL_set1_host(ssl_, name.c_str());
        }
    }
    if (options.resume) SSL_set_session(ssl_, options.resume);
    established_ = handshake(deadline);
}

TlsConnection::~TlsConnection() {
    if (ssl_) SSL_free(ssl_);
    if (context_) SSL_CTX_free(context_);
    if (fd_ >= 0) close(fd_);
}

bool TlsConnection::handshake(Deadline deadline) {
    while (true) {
        ERR_clear_error();
        const int rc = SSL_connect(ssl_);
        if (rc == 1) return true;
        const int code = SSL_get_error(ssl_, rc);
        if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
            if (wait_for(code, deadline)) continue;
            error_ = "the TLS handshake timed out";
            return false;
        }
        verify_result_ = SSL_get_verify_result(ssl_);
        error_ = verify_result_ != X509_V_OK ? X509_verify_cert_error_string(verify_result_)
                                             : openssl_error_text();
        return false;
    }
}

bool TlsConnection::wait_for(int ssl_error, Deadline deadline) {
    pollfd p{fd_, static_cast<short>(ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN), 0};
    while (true) {
        const int ready = poll(&p, 1, deadline.poll_ms());
        if (ready < 0 && errno == EINTR) continue;
        return ready > 0;
    }
}

std::string TlsConnection::alpn() const {
    const unsigned char* protocol = nullptr;
    unsigned length = 0;
    if (ssl_) SSL_get0_alpn_selected(ssl_, &protocol, &length);
    return protocol ? std::string(reinterpret_cast<const char*>(protocol), length) : "";
}

std::string TlsConnection::peer_common_name() const {
    X509* cert = ssl_ ? SSL_get0_peer_certificate(ssl_) : nullptr;
    if (!cert) return "";
    char common_name[256];
    const int length = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
                                                 common_name, sizeof common_name);
    return length > 0 ? std::string(common_name, static_cast<std::size_t>(length)) : "";
}

bool TlsConnection::resumed() const { return ssl_ && SSL_session_reused(ssl_) == 1; }

SavedSession TlsConnection::session() const {
    SSL_SESSION* current = ssl_ ? SSL_get0_session(ssl_) : nullptr;
    if (!current || SSL_SESSION_is_resumable(current) != 1) return nullptr;
    // A copy: OpenSSL marks the connection's own session not resumable when the SSL is freed
    // before it sent close_notify, which a test's connection often is.
    return SavedSession(SSL_SESSION_dup(current));
}

bool TlsConnection::send(std::string_view bytes, Deadline deadline) {
    if (!established_ || end_ != TlsEnd::open) return false;
    while (!bytes.empty()) {
        ERR_clear_error();
        std::size_t written = 0;
        if (SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) == 1) {
            bytes.remove_prefix(written);
            continue;
        }
        const int code = SSL_get_error(ssl_, 0);
        if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
            if (wait_for(code, deadline)) continue;
            return false;
        }
        return false;  // closed or reset: read_response() tells which, after any answer
    }
    sent_at_ = Clock::now();
    return true;
}

void TlsConnection::note_end(int ssl_error) {
    if (ssl_error == SSL_ERROR_ZERO_RETURN) {
        end_ = TlsEnd::close_notify;
    } else if (ssl_error == SSL_ERROR_SYSCALL) {
        end_ = errno == 0 ? TlsEnd::without_notify : TlsEnd::reset;
    } else if (ssl_error == SSL_ERROR_SSL &&
               ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        end_ = TlsEnd::without_notify;  // OpenSSL 3's word for a TCP close with no close_notify
    } else {
        end_ = TlsEnd::reset;
    }
    ERR_clear_error();
}

TlsConnection::Io TlsConnection::read_some(Deadline deadline) {
    char buffer[16384];
    while (true) {
        ERR_clear_error();
        errno = 0;
        std::size_t got = 0;
        if (SSL_read_ex(ssl_, buffer, sizeof buffer, &got) == 1) {
            buffer_.append(buffer, got);
            return Io::data;
        }
        const int code = SSL_get_error(ssl_, 0);
        if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
            if (wait_for(code, deadline)) continue;
            return Io::timeout;
        }
        note_end(code);
        return Io::ended;
    }
}

Reply TlsConnection::read_response(Deadline deadline, bool head_request) {
    ResponseParser parser(head_request);
    parser.reply().sent_at = sent_at_;
    if (!established_) {
        parser.reply().outcome = Outcome::connect_failed;
        parser.reply().error = error_;
        return parser.reply();
    }
    auto consume = [&] {
        if (!buffer_.empty()) buffer_.erase(0, parser.feed(buffer_));
        if (parser.body_bytes() > 0 && parser.reply().first_body_at == Clock::time_point{}) {
            parser.reply().first_body_at = Clock::now();
        }
    };
    consume();
    while (!parser.done()) {
        if (end_ != TlsEnd::open) {
            parser.feed_close(end_ == TlsEnd::reset);
            break;
        }
        if (read_some(deadline) == Io::timeout) break;  // the outcome stays `timeout`
        consume();
    }
    Reply reply = std::move(parser.reply());
    reply.done_at = Clock::now();
    if (reply.first_body_at == Clock::time_point{}) reply.first_body_at = reply.done_at;
    return reply;
}

Reply TlsConnection::exchange(std::string_view request, Deadline deadline, bool head_request) {
    if (established_ && !send(request, deadline) && deadline.expired()) {
        Reply r;
        r.outcome = Outcome::timeout;
        r.error = "sending the request timed out";
        return r;
    }
    return read_response(deadline, head_request);
}

bool TlsConnection::wait_closed(Deadline deadline) {
    if (!established_) return true;
    if (!buffer_.empty()) return false;
    while (end_ == TlsEnd::open) {
        switch (read_some(deadline)) {
        case Io::data: return false;
        case Io::timeout: return false;
        case Io::ended: break;
        }
    }
    return true;
}

Reply tls_get(int port, std::string_view target, const TlsOptions& options,
              Clock::duration timeout) {
    Deadline deadline = Deadline::after(timeout);
    TlsConnection conn(port, options, deadline);
    return conn.exchange(http_request("GET", target), deadline);
}

}  // namespace cachet::integration
