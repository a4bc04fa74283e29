#pragma once
// A Session on a libuv stream: what one connection needs to send TLS over a socket that
// libuv reads and writes. Plaintext is encrypted by SSL_write straight from the caller's
// buffers (an entry's head and body on the hit path), and the ciphertext goes to the socket
// from the session's output buffer: at once when the socket takes it, else copied once into a
// queued write. Reading stays with the owner: it feeds what it read and reads plaintext.
#include <uv.h>

#include <cstdint>

#include "tls/session.hpp"
#include "util/write_now.hpp"

namespace cachet::tls {

// Told when ciphertext that could not be written at once has been (or failed): `tag` is the
// owner's, e.g. how many body bytes the write carried.
struct WriteDone {
    void (*call)(void* owner, std::uintptr_t tag, int status) = nullptr;
    void* owner = nullptr;
    std::uintptr_t tag = 0;
};

class Channel {
public:
    explicit Channel(Session session) : session_(std::move(session)) {}
    Session& session() noexcept { return session_; }
    const Session& session() const noexcept { return session_; }

    // Encrypts bufs[0..count) in order. Small pieces (heads, framing) are gathered into one
    // record with their neighbours rather than sent as records of their own. False: the
    // connection is unusable.
    bool encrypt(const uv_buf_t* bufs, unsigned count);
    // Sends the session's pending ciphertext (handshake records, encrypted data, alerts):
    // `done` when all was written now (`then` is not called), `partial` when a write was
    // queued (`then` is called when it completes), `failed` when the socket refused it.
    WriteNow flush(uv_stream_t* stream, const WriteDone& then);

private:
    Session session_;
};

}  // namespace cachet::tls
