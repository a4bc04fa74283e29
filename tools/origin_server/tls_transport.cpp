#include "origin_server/tls_transport.hpp"

#include <array>

namespace cachet::tools {

TlsInput TlsTransport::receive(const char* data, std::size_t size, std::string& plaintext) {
    if (!session_) return TlsInput::handshake_failed;  // SSL_new failed: out of memory
    if (peer_closed_) return TlsInput::peer_closed;
    session_.feed(data, size);
    if (!session_.established()) {
        switch (session_.handshake()) {
        case tls::Handshake::failed: return TlsInput::handshake_failed;
        case tls::Handshake::more: return TlsInput::ok;
        case tls::Handshake::done: break;  // the client's first request may be in these bytes
        }
    }
    return read_plaintext(plaintext);
}

TlsInput TlsTransport::read_plaintext(std::string& plaintext) {
    // Read until the session wants more ciphertext, so no plaintext waits inside it unseen.
    std::array<char, 16 * 1024> buffer;  // one TLS record's worth of plaintext
    while (true) {
        tls::ReadResult result = session_.read(buffer.data(), buffer.size());
        switch (result.status) {
        case tls::ReadStatus::data: plaintext.append(buffer.data(), result.bytes); break;
        case tls::ReadStatus::more: return TlsInput::ok;
        case tls::ReadStatus::closed: peer_closed_ = true; return TlsInput::peer_closed;
        case tls::ReadStatus::failed: return TlsInput::failed;
        }
    }
}

std::optional<std::string> TlsTransport::seal(std::string_view plaintext) {
    if (!session_ || !session_.write(plaintext)) return std::nullopt;
    return take_output();
}

std::string TlsTransport::close_notify() {
    if (!session_) return {};
    session_.shutdown();
    return take_output();
}

std::string TlsTransport::take_output() {
    if (!session_) return {};
    auto bytes = session_.output();
    std::string out(bytes.data(), bytes.size());
    session_.consume_output();
    return out;
}

}  // namespace cachet::tools
