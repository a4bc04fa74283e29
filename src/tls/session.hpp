#pragma once
// One TLS connection over in-memory buffers: the caller carries ciphertext between the socket
// and the session (feed, output), and plaintext in and out (read, write). It does no I/O and
// never blocks, so it runs on any event loop: a worker's libuv streams, or the test origin's.
//
// Ciphertext written by the session (handshake records, encrypted data, close_notify) waits in
// output() until the caller has taken it (consume_output).
#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "tls/context.hpp"

namespace cachet::tls {

// Where a handshake stands after a step.
enum class Handshake : std::uint8_t { done, more, failed };

// What a read gave: plaintext bytes, nothing until more ciphertext is fed, the peer's
// close_notify (a clean end of the stream), or a failure (the connection is unusable).
enum class ReadStatus : std::uint8_t { data, more, closed, failed };
struct ReadResult {
    ReadStatus status;
    std::size_t bytes = 0;
};

class Session {
public:
    // A client session towards `server_name` (SNI and, when `verify_name` is set, the name
    // the certificate must carry); `resume` (may be null) is offered for resumption.
    static Session client(SSL_CTX* context, const std::string& server_name, bool verify_name,
                          SSL_SESSION* resume);
    static Session server(SSL_CTX* context);

    Session() = default;
    explicit operator bool() const noexcept { return ssl_ != nullptr; }

    // Ciphertext received from the peer.
    void feed(const char* data, std::size_t size);
    // Advances the handshake with what has been fed (the client's first call writes its
    // hello). After `failed`, failure() says why.
    Handshake handshake();
    bool established() const noexcept { return established_; }
    // Plaintext into out[0..capacity), as far as the fed ciphertext goes.
    ReadResult read(char* out, std::size_t capacity);
    // Whether fed ciphertext or decrypted plaintext waits to be read (a read may give data
    // without another feed).
    bool holds_input() const noexcept;
    // Encrypts `bytes` into output(); false if the connection is unusable.
    bool write(std::string_view bytes);
    // Queues a close_notify.
    void shutdown();

    // Ciphertext waiting to be sent, valid until the next call on the session.
    std::span<const char> output() const noexcept;
    void consume_output() noexcept;

    bool resumed() const noexcept { return SSL_session_reused(ssl_.get()) == 1; }
    // Why the handshake failed: the certificate's verification (its X509_V_ERR_* code) or the
    // protocol (0, and the OpenSSL error text in failure_text()).
    long verify_error() const noexcept { return verify_error_; }
    const std::string& failure_text() const noexcept { return failure_; }
    // The ALPN protocol agreed (empty: none).
    std::string_view alpn() const noexcept;
    SSL* native() const noexcept { return ssl_.get(); }

    // The ciphertext both ways, behind the session's BIO (session.cpp): on the heap, so that
    // the BIO's pointer to it survives the Session's moves.
    struct Buffers;

private:
    explicit Session(SSL* ssl);
    void note_failure(int code);

    struct SslFree {
        void operator()(SSL* ssl) const noexcept;
    };
    struct BuffersFree {
        void operator()(Buffers* buffers) const noexcept;
    };
    std::unique_ptr<Buffers, BuffersFree> buffers_;
    std::unique_ptr<SSL, SslFree> ssl_;  // after buffers_: freed first, as its BIO points there
    bool established_ = false;
    long verify_error_ = 0;
    std::string failure_;
};

}  // namespace cachet::tls
