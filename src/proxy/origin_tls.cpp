// OriginConnection towards an https:// server: the handshake after the TCP connect, within
// the connect timeout; ciphertext in from the socket, decrypted into the worker's read
// buffer and parsed as a plain response would be; requests encrypted on their way out.
#include "proxy/origin_connection.hpp"

#include "proxy/origin_pools.hpp"
#include "tls/verify_failure.hpp"
#include "util/log.hpp"

namespace cachet::proxy {

void OriginConnection::start_tls() {
    OriginServer& server = pool_.server();
    tls::Session session =
        tls::Session::client(server.tls, server.tls_name, server.verify, pool_.resumable_session());
    if (!session) return fail_connect(Errc::origin_tls_handshake);
    // TLS 1.3 sends its tickets after the handshake: the pool keeps the newest for the next
    // connection to this server (tls/context.hpp).
    SSL_set_app_data(session.native(), static_cast<tls::SessionSink*>(&pool_));
    tls_ = std::make_unique<tls::Channel>(std::move(session));
    begin_reading();
    advance_handshake();  // writes the ClientHello
}

void OriginConnection::advance_handshake() {
    tls::Session& session = tls_->session();
    const tls::Handshake step = session.handshake();
    if (!send_tls_output(0)) return;
    if (step == tls::Handshake::more) return;
    if (step == tls::Handshake::failed) {
        const Errc error = tls::verify_failure(session.verify_error());
        if (pool_.should_log_tls_failure(context_.clock.monotonic_ms())) {
            log::write(log::Level::warn, describe(error),
                       {{"origin", pool_.settings().name},
                        {"server", pool_.server().authority},
                        {"name", pool_.server().tls_name},
                        {"reason", session.failure_text()}});
        }
        return fail_connect(error);
    }
    admin::OriginCounters& counters = pool_.counters();
    admin::bump(session.resumed() ? counters.tls_resumed : counters.tls_handshakes);
    on_established();
    drain_plaintext();  // what came with the server's last handshake flight
}

void OriginConnection::handle_ciphertext(ssize_t nread, const uv_buf_t* buf) {
    if (phase_ != Phase::connecting && phase_ != Phase::exchanging) return;
    if (nread == 0) return;
    if (nread < 0) {
        if (phase_ == Phase::connecting) return fail_connect(Errc::origin_tls_handshake);
        // The socket ended without the server's close_notify: a response delimited by the
        // close may be cut short, so it is a reset, never the end of a body (RFC 8446 §6.1).
        return handle_response_bytes(nread == UV_EOF ? ssize_t{UV_ECONNRESET} : nread, nullptr);
    }
    // Copied into the session: the read buffer is free again for the plaintext.
    tls_->session().feed(buf->base, static_cast<std::size_t>(nread));
    if (phase_ == Phase::connecting) return advance_handshake();
    drain_plaintext();
}

void OriginConnection::drain_plaintext() {
    bool held = true;
    while (held && phase_ == Phase::exchanging && !response_paused_) {
        uv_buf_t out = pool_.read_buffer();
        const tls::ReadResult got = tls_->session().read(out.base, out.len);
        if (!send_tls_output(0)) return;  // a key update's answer
        switch (got.status) {
        case tls::ReadStatus::data:
            handle_response_bytes(static_cast<ssize_t>(got.bytes), out.base);
            // Nothing more fed or decrypted: another SSL_read would only say so.
            held = tls_->session().holds_input();
            break;
        case tls::ReadStatus::more: return;
        case tls::ReadStatus::closed: return handle_response_bytes(UV_EOF, nullptr);
        case tls::ReadStatus::failed: return handle_response_bytes(UV_ECONNRESET, nullptr);
        }
    }
    // Parked after a complete response: anything more the session holds answers nothing we
    // asked, and must not be read as the next request's response.
    if (phase_ == Phase::idle && tls_->session().holds_input()) {
        uv_buf_t out = pool_.read_buffer();
        if (tls_->session().read(out.base, out.len).status != tls::ReadStatus::more)
            handle_idle_read(UV_ECONNRESET);
    }
}

void OriginConnection::drain_later() {
    drain_timer_ = true;
    uv_timer_start(
        &timer_, [](uv_timer_t* t) { static_cast<OriginConnection*>(t->data)->handle_timeout(); },
        0, 0);
}

void OriginConnection::handle_idle_ciphertext(ssize_t nread, const uv_buf_t* buf) {
    if (nread == 0) return;
    if (nread > 0) {
        tls_->session().feed(buf->base, static_cast<std::size_t>(nread));
        uv_buf_t out = pool_.read_buffer();
        // A session ticket (or a key update) is the server's to send at any time.
        if (tls_->session().read(out.base, out.len).status == tls::ReadStatus::more &&
            send_tls_output(0)) {
            return;
        }
    }
    handle_idle_read(nread < 0 ? nread : ssize_t{UV_ECONNRESET});
}

void OriginConnection::write_encrypted(std::string_view bytes, std::size_t body_bytes) {
    if (!tls_->session().write(bytes)) return fail_exchange(Errc::origin_reset);
    send_tls_output(body_bytes);
}

bool OriginConnection::send_tls_output(std::size_t body_bytes) {
    const tls::WriteDone then{[](void* owner, std::uintptr_t tag, int status) {
                                  static_cast<OriginConnection*>(owner)->handle_write_done(
                                      static_cast<std::size_t>(tag), status);
                              },
                              this, body_bytes};
    switch (tls_->flush(reinterpret_cast<uv_stream_t*>(&tcp_), then)) {
    case WriteNow::done: return true;
    case WriteNow::partial: body_bytes_in_flight_ += body_bytes; return true;
    case WriteNow::failed: break;
    }
    if (phase_ == Phase::connecting)
        fail_connect(Errc::origin_tls_handshake);
    else
        fail_exchange(Errc::origin_reset);
    return false;
}

}  // namespace cachet::proxy
