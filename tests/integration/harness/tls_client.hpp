#pragma once
// A blocking OpenSSL client for tests, the TLS counterpart of HttpConnection: it connects to a
// loopback port, completes a handshake with a deadline, offers ALPN http/1.1, sends any bytes
// and reads responses one at a time with the same parser. It reports what a TLS test asks
// about: the verification result, the peer certificate's CN, the ALPN protocol, whether the
// session was resumed, and how the server ended the connection (close_notify or not).
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>

#include "harness/deadline.hpp"
#include "harness/reply.hpp"

namespace cachet::integration {

struct SslSessionFree {
    void operator()(SSL_SESSION* session) const noexcept { SSL_SESSION_free(session); }
};
// A session kept from one connection to offer on the next.
using SavedSession = std::unique_ptr<SSL_SESSION, SslSessionFree>;

struct TlsOptions {
    // Sent as SNI and verified against the certificate; an address literal ("127.0.0.1") is not
    // sent (RFC 6066 §3) and is verified against the certificate's IP addresses.
    std::string server_name = "localhost";
    std::string ca_file;            // PEM; empty: the certificate is not verified at all
    SSL_SESSION* resume = nullptr;  // borrowed: offered for resumption
};

// How the server ended the connection, as far as the client has read.
enum class TlsEnd {
    open,            // nothing seen yet
    close_notify,    // a clean TLS end
    without_notify,  // TCP closed with no close_notify: a truncation, as far as TLS can tell
    reset,           // RST, or bytes that are not TLS
};
std::string_view name(TlsEnd end) noexcept;

class TlsConnection {
public:
    // Connects to 127.0.0.1:port and runs the handshake; established() is false when refused,
    // timed out or failed, and error() says which (verification: verify_result()).
    TlsConnection(int port, const TlsOptions& options, Deadline deadline);
    TlsConnection(const TlsConnection&) = delete;
    TlsConnection& operator=(const TlsConnection&) = delete;
    ~TlsConnection();

    bool established() const noexcept { return established_; }
    const std::string& error() const noexcept { return error_; }
    // X509_V_OK, or the X509_V_ERR_* code the certificate failed with.
    long verify_result() const noexcept { return verify_result_; }
    std::string alpn() const;              // the protocol the server selected; empty: none
    std::string peer_common_name() const;  // the server certificate's subject CN
    bool resumed() const;                  // SSL_session_reused

    // Encrypts and writes all bytes; false when the connection failed or the deadline passed.
    bool send(std::string_view bytes, Deadline deadline);
    // Reads the next response (keep-alive: several on one connection). A close_notify or a
    // TCP close ends a close-delimited body; end() tells which it was.
    Reply read_response(Deadline deadline, bool head_request = false);
    Reply exchange(std::string_view request, Deadline deadline, bool head_request = false);
    // True when the server ends the connection (close_notify, FIN or RST) before the deadline
    // without sending more data; false on timeout or when data arrives instead.
    bool wait_closed(Deadline deadline);
    TlsEnd end() const noexcept { return end_; }

    // The session to offer on the next connection: take it after a response has been read, so
    // a TLS 1.3 ticket (sent after the handshake) has arrived. Null when none is resumable.
    SavedSession session() const;

private:
    enum class Io { data, ended, timeout };
    bool handshake(Deadline deadline);
    // One SSL_read into buffer_ (appending), waiting as OpenSSL asks.
    Io read_some(Deadline deadline);
    bool wait_for(int ssl_error, Deadline deadline);
    void note_end(int ssl_error);

    int fd_ = -1;
    SSL_CTX* context_ = nullptr;  // owned
    SSL* ssl_ = nullptr;          // owned
    bool established_ = false;
    std::string error_;
    long verify_result_ = X509_V_OK;
    std::string buffer_;  // plaintext read, not yet consumed by a response
    TlsEnd end_ = TlsEnd::open;
    Clock::time_point sent_at_{};
};

// GET target over a fresh TLS connection.
Reply tls_get(int port, std::string_view target, const TlsOptions& options,
              Clock::duration timeout = 10s);

}  // namespace cachet::integration
