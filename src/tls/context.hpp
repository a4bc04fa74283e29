#pragma once
// The SSL_CTX of a TLS side: one per origin (client) and one per listener certificate
// (server), made at start or on reload and shared by every worker (OpenSSL allows SSL_new
// from many threads on one context once it is set up).
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "util/result.hpp"

namespace cachet::tls {

struct ContextFree {
    void operator()(SSL_CTX* context) const noexcept { SSL_CTX_free(context); }
};
using ContextPtr = std::unique_ptr<SSL_CTX, ContextFree>;

struct SessionFree {
    void operator()(SSL_SESSION* session) const noexcept { SSL_SESSION_free(session); }
};
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionFree>;

// How cachet checks an origin's certificate.
struct ClientSettings {
    std::string ca_file;    // PEM bundle; empty: the system's store (ca-certificates)
    bool insecure = false;  // no verification at all: only when written explicitly
};

// TLS 1.2 and 1.3 with the modern cipher list; verification as `settings` say. The
// error names the file and OpenSSL's reason. Sessions it makes are handed to
// on_new_session (context.cpp) for resumption.
tl::expected<ContextPtr, std::string> make_client_context(const ClientSettings& settings);

class TicketKeys;

// A listener's context: its certificate chain and key (PEM files), ALPN http/1.1, session
// tickets encrypted with `tickets` (shared across workers and reloads). The error names the
// file and why it was refused (missing, not PEM, key does not match the certificate).
tl::expected<ContextPtr, std::string> make_server_context(const std::string& cert_file,
                                                          const std::string& key_file,
                                                          TicketKeys& tickets);

// A client context hands each new session (TLS 1.3 tickets arrive after the handshake) to
// the SessionSink set as the SSL's app data, if any.
class SessionSink {
public:
    virtual void on_new_session(SessionPtr session) noexcept = 0;

protected:
    ~SessionSink() = default;
};

}  // namespace cachet::tls
