#pragma once
// The TLS side of one origin connection, over tls::Session: ciphertext read from the socket
// goes in and plaintext for the HTTP parser comes out; plaintext to send goes in and
// ciphertext for the socket comes out. It does no I/O: the Connection writes what it is given
// in call order, so handshake records, responses and close_notify leave in the order made.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tls/session.hpp"

namespace cachet::tools {

// What ciphertext from the peer came to.
enum class TlsInput : std::uint8_t {
    ok,                // plaintext (maybe none yet) appended: go on reading
    handshake_failed,  // not TLS at all, or a TLS the listener refuses: close
    failed,            // bad records on an established connection: close
    peer_closed,       // close_notify: the peer sends nothing more
};

class TlsTransport {
public:
    explicit TlsTransport(SSL_CTX* context) : session_(tls::Session::server(context)) {}

    // Feeds `size` bytes of ciphertext, advances the handshake, and appends what decrypts to
    // `plaintext`. Afterwards take_output() holds what must be sent (handshake records, the
    // session ticket, an alert).
    TlsInput receive(const char* data, std::size_t size, std::string& plaintext);
    // The ciphertext of `plaintext`; nullopt when the connection is unusable.
    std::optional<std::string> seal(std::string_view plaintext);
    // The ciphertext of a close_notify (empty before the handshake completed: nothing to end).
    std::string close_notify();
    // Ciphertext made since the last call.
    std::string take_output();

    bool established() const noexcept { return session_.established(); }
    bool resumed() const noexcept { return session_.resumed(); }

private:
    TlsInput read_plaintext(std::string& plaintext);

    tls::Session session_;
    bool peer_closed_ = false;  // close_notify read: later bytes are ignored
};

}  // namespace cachet::tools
