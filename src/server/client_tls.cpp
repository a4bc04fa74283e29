// ClientConnection on a TLS listener: the handshake (within --client-timeout of the
// connection's start, as a request head), ciphertext in from the socket and decrypted into
// the connection's own read buffer, where requests are parsed as on a plain connection; and
// every response encrypted from the buffers it is written from (an entry's, on a hit).
#include "server/client_connection.hpp"

#include "server/worker.hpp"

namespace cachet::server {

void ClientConnection::handle_ciphertext(ssize_t nread) {
    if (nread == 0) return;
    tls::Session& session = tls_->session();
    if (nread < 0) {
        if (!session.established()) {
            admin::bump(worker_.counters().tls_failures);
            return close();
        }
        return on_read_end(nread);
    }
    session.feed(worker_.cipher_buffer().base, static_cast<std::size_t>(nread));
    if (!session.established()) {
        const tls::Handshake step = session.handshake();
        if (!send_tls_output()) return;
        if (step == tls::Handshake::more) return;
        if (step == tls::Handshake::failed) {
            // Plain HTTP on a TLS port, a scanner, an old protocol: closed, and counted.
            admin::bump(worker_.counters().tls_failures);
            return close();
        }
        admin::bump(session.resumed() ? worker_.counters().tls_resumed
                                      : worker_.counters().tls_handshakes);
        head_started_ = 0;  // from here on, the head's own clock
        last_activity_ = worker_.clock().monotonic_ms();
    }
    drain_plaintext();
}

void ClientConnection::drain_plaintext() {
    while (reading_ && closing_ != Closing::closed) {
        make_room();
        if (end_ == capacity_) return;  // full: reading stopped, or the head grows first
        const tls::ReadResult got = tls_->session().read(buffer_.get() + end_, capacity_ - end_);
        if (!send_tls_output()) return;  // a key update's answer
        switch (got.status) {
        case tls::ReadStatus::data:
            take_input(got.bytes);
            // Nothing more fed or decrypted: another SSL_read would only say so.
            if (tls_ && !tls_->session().holds_input()) return;
            continue;
        case tls::ReadStatus::more: return;
        case tls::ReadStatus::closed: return on_read_end(UV_EOF);
        case tls::ReadStatus::failed: return close();
        }
    }
}

void ClientConnection::resume_tls_later() noexcept {
    tls_resume_.start(worker_.loop(), 0, this,
                      [](void* self) { static_cast<ClientConnection*>(self)->drain_plaintext(); });
}

WriteNow ClientConnection::send_encrypted(uv_buf_t*& bufs, unsigned& count) noexcept {
    if (!tls_->encrypt(bufs, count)) return WriteNow::failed;
    bufs += count;
    count = 0;
    return flush_tls() == WriteNow::failed ? WriteNow::failed : WriteNow::done;
}

WriteNow ClientConnection::flush_tls() noexcept {
    const tls::WriteDone then{[](void* owner, std::uintptr_t, int status) {
                                  static_cast<ClientConnection*>(owner)->on_write_done(status);
                              },
                              this, 0};
    const WriteNow now = tls_->flush(stream(), then);
    // A queued ciphertext write counts as any queued write: the send timeout and the
    // backlog see it, and on_write_done hears of it.
    if (now == WriteNow::partial && writes_in_flight_++ == 0)
        last_write_progress_ = worker_.clock().monotonic_ms();
    return now;
}

bool ClientConnection::send_tls_output() noexcept {
    if (flush_tls() != WriteNow::failed) return true;
    close();
    return false;
}

void ClientConnection::say_goodbye() noexcept {
    tls::Session& session = tls_->session();
    if (!session.established()) return;
    session.shutdown();
    const std::span<const char> alert = session.output();
    uv_buf_t buf =
        uv_buf_init(const_cast<char*>(alert.data()), static_cast<unsigned>(alert.size()));
    if (uv_stream_get_write_queue_size(stream()) == 0) uv_try_write(stream(), &buf, 1);
    session.consume_output();
}

}  // namespace cachet::server
