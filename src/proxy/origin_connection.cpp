#include "proxy/origin_connection.hpp"

#include "replay/recorder.hpp"

#include <charconv>

#include "proxy/origin_pools.hpp"
#include "proxy/store_updates.hpp"
#include "util/log.hpp"
#include "util/write_now.hpp"

namespace cachet::proxy {
namespace {

// Request-body bytes queued towards the origin above which the client stops being read.
constexpr std::size_t kBodyBacklogLimit = 1 << 20;

}  // namespace

struct OriginConnection::BodyWrite {
    uv_write_t req;
    std::string bytes;
    std::size_t body_bytes;
    OriginConnection* connection;
};

OriginConnection::OriginConnection(OriginPool& pool) : pool_(pool), context_(pool.context()) {
    uv_tcp_init(context_.loop, &tcp_);
    uv_timer_init(context_.loop, &timer_);
    tcp_.data = this;
    timer_.data = this;
    open_handles_ = 2;
    uv_tcp_nodelay(&tcp_, 1);
    admin::bump(context_.counters.origin_connections, 1);
}

void OriginConnection::start(OriginRequest request, LeaderPermit&& permit) {
    request_ = std::move(request);
    permit_ = std::move(permit);
    pending_body_.clear();
    body_ended_ = !request_.has_body;
    body_bytes_in_flight_ = 0;
    response_paused_ = false;
    exchange_.reset();
    drop_recording();
    started_ns_ = uv_hrtime();
    admin::bump(pool_.counters().requests);
    llhttp_init(&parser_, HTTP_RESPONSE, &parser_settings());
    parser_.data = this;
    if (opens_no_socket(request_.drill)) [[unlikely]] {
        stand_in_for_origin();
        return;
    }
    if (phase_ == Phase::idle) {
        reused_ = true;
        phase_ = Phase::exchanging;
        begin_reading();
        send_head();
    } else {
        reused_ = false;
        connect();
    }
}

void OriginConnection::connect() {
    phase_ = Phase::connecting;
    connect_req_.data = this;
    int rc = uv_tcp_connect(&connect_req_, &tcp_,
                            reinterpret_cast<const sockaddr*>(&pool_.server().address),
                            [](uv_connect_t* req, int status) {
                                static_cast<OriginConnection*>(req->data)->handle_connect(status);
                            });
    if (rc != 0) {
        fail_connect(Errc::origin_connect_failed);
        return;
    }
    arm_timer(pool_.settings().connect_timeout, Errc::origin_connect_timeout);
}

void OriginConnection::handle_connect(int status) {
    if (phase_ == Phase::closing) return;
    if (status != 0) {
        fail_connect(status == UV_ETIMEDOUT ? Errc::origin_connect_timeout
                                            : Errc::origin_connect_failed);
        return;
    }
    // The connect timer runs on through the handshake: it bounds both.
    if (pool_.server().tls) return start_tls();
    on_established();
}

void OriginConnection::on_established() {
    phase_ = Phase::exchanging;
    begin_reading();
    send_head();
    if (!pending_body_.empty()) write_bytes(std::exchange(pending_body_, {}), true);
    if (body_ended_ && request_.has_body && request_.chunked_body) write_bytes("0\r\n\r\n", false);
}

void OriginConnection::send_head() {
    write_bytes(request_.head, false);
    // The response clock starts once the whole request is on its way.
    if (body_ended_)
        arm_first_byte_timer();
    else
        uv_timer_stop(&timer_);
}

void OriginConnection::write_bytes(std::string bytes, bool is_body) {
    if (tls_) return write_encrypted(bytes, is_body ? bytes.size() : 0);
    // A miss-path allocation: the write owns its bytes until libuv is done with them.
    auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
    uv_buf_t whole = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
    uv_buf_t* rest = &whole;
    unsigned rest_count = 1;
    // Written at once in the common case: no write request, no epoll_ctl (see write_now.hpp).
    switch (write_now(stream, rest, rest_count)) {
    case WriteNow::done: return;
    case WriteNow::failed: fail_exchange(Errc::origin_reset); return;
    case WriteNow::partial: break;
    }
    std::size_t written = bytes.size() - rest->len;
    auto* w = new BodyWrite{{}, std::move(bytes), 0, this};
    w->bytes.erase(0, written);
    if (is_body) w->body_bytes = w->bytes.size();
    body_bytes_in_flight_ += w->body_bytes;
    w->req.data = w;
    uv_buf_t buf = uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
    int rc = uv_write(&w->req, stream, &buf, 1, [](uv_write_t* req, int status) {
        auto* write = static_cast<BodyWrite*>(req->data);
        OriginConnection* connection = write->connection;
        std::size_t body_bytes = write->body_bytes;
        delete write;
        connection->handle_write_done(body_bytes, status);
    });
    if (rc != 0) {
        body_bytes_in_flight_ -= w->body_bytes;
        delete w;
        fail_exchange(Errc::origin_reset);
    }
}

void OriginConnection::handle_write_done(std::size_t body_bytes, int status) {
    body_bytes_in_flight_ -= body_bytes;
    if (status != 0 || phase_ == Phase::closing) return;  // the read side reports the failure
    if (body_bytes > 0 && body_bytes_in_flight_ < kBodyBacklogLimit / 2 && client_) {
        client_->on_body_drained();
    }
}

void OriginConnection::send_body(const char* data, std::size_t size) {
    if (size == 0 || phase_ == Phase::closing) return;
    std::string framed;
    if (request_.chunked_body) {
        char prefix[24];
        auto end = std::to_chars(prefix, prefix + sizeof prefix, size, 16).ptr;
        framed.reserve(size + 32);
        framed.append(prefix, end).append("\r\n").append(data, size).append("\r\n");
    } else {
        framed.assign(data, size);
    }
    if (phase_ == Phase::connecting) {
        pending_body_ += framed;
        body_bytes_in_flight_ += 0;
        return;
    }
    write_bytes(std::move(framed), true);
}

void OriginConnection::end_body() {
    if (body_ended_) return;
    body_ended_ = true;
    if (phase_ != Phase::exchanging) return;
    if (request_.chunked_body) write_bytes("0\r\n\r\n", false);
    arm_first_byte_timer();
}

void OriginConnection::resume_response() noexcept {
    if (!response_paused_) return;
    response_paused_ = false;
    if (phase_ != Phase::exchanging) return;
    arm_timer(pool_.settings().idle_timeout, Errc::origin_idle_timeout);
    begin_reading();
    if (tls_ && tls_->session().holds_input()) drain_later();
}

void OriginConnection::begin_reading() {
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&tcp_),
        [](uv_handle_t* h, size_t, uv_buf_t* buf) {
            *buf = static_cast<OriginConnection*>(h->data)->pool_.read_buffer();
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
            auto* c = static_cast<OriginConnection*>(s->data);
            if (c->phase_ == Phase::idle)
                c->tls_ ? c->handle_idle_ciphertext(n, buf) : c->handle_idle_read(n);
            else
                c->handle_read(n, buf);
        });
}

void OriginConnection::arm_timer(Millis ms, Errc on_expiry) {
    timer_error_ = on_expiry;
    drill_timer_ = false;
    drain_timer_ = false;
    uv_timer_start(
        &timer_, [](uv_timer_t* t) { static_cast<OriginConnection*>(t->data)->handle_timeout(); },
        ms, 0);
}

void OriginConnection::arm_first_byte_timer() {
    const Millis limit = pool_.settings().first_byte_timeout;
    if (request_.drill.kind == DrillActionKind::delay) [[unlikely]]
        return hold_response(limit);
    arm_timer(limit, Errc::origin_first_byte_timeout);
}

void OriginConnection::handle_timeout() {
    if (phase_ == Phase::idle || phase_ == Phase::closing) return;
    if (std::exchange(drill_timer_, false)) return take_drill_step();
    if (std::exchange(drain_timer_, false)) {
        arm_timer(pool_.settings().idle_timeout, Errc::origin_idle_timeout);
        return drain_plaintext();
    }
    if (phase_ == Phase::connecting)
        fail_connect(timer_error_);
    else
        fail_exchange(timer_error_);
}

void OriginConnection::handle_idle_read(ssize_t nread) {
    // An idle keep-alive connection has nothing to say: EOF, an error or stray bytes all
    // mean it can no longer be trusted with a request.
    if (nread == 0) return;
    pool_.forget(*this);
    close();
}

void OriginConnection::handle_read(ssize_t nread, const uv_buf_t* buf) {
    if (tls_) return handle_ciphertext(nread, buf);
    handle_response_bytes(nread, buf->base);
}

void OriginConnection::handle_response_bytes(ssize_t nread, const char* data) {
    if (phase_ != Phase::exchanging) return;
    if (nread == 0) return;
    if (nread < 0) {
        if (nread == UV_EOF && exchange_.started()) {
            llhttp_errno_t err = llhttp_finish(&parser_);
            if (phase_ != Phase::exchanging) return;
            if (err == HPE_OK && exchange_.phase() == ResponsePhase::complete) {
                // a close-delimited body just ended
                finish_exchange();
                return;
            }
        }
        if (!exchange_.started() && reused_ && request_.may_retry) {
            {
                // The origin closed an idle keep-alive connection as we reused it: resend
                // on a fresh connection (RFC 9112 §9.3.1 allows retrying idempotent requests),
                // which takes over the client exchange.
                OriginPool& pool = pool_;
                OriginRequest request = std::move(request_);
                LeaderPermit permit = std::move(permit_);
                FetchClient* client = std::exchange(client_, nullptr);
                pool.forget(*this);
                close();
                hand_over(client, pool.start(std::move(request), std::move(permit), true));
                return;
            }
        }
        fail_exchange(exchange_.failure(Errc::origin_reset));
        return;
    }
    exchange_.on_bytes();
    if (exchange_.head_published()) {
        arm_timer(pool_.settings().idle_timeout, Errc::origin_idle_timeout);
    } else if (!uv_is_active(reinterpret_cast<uv_handle_t*>(&timer_))) {
        // A response that starts while the request body is still going out. Otherwise the
        // first-byte timer armed when the request ended keeps running: it bounds the whole
        // head, so an origin dribbling its head (or 1xx after 1xx) cannot hold the client.
        arm_timer(pool_.settings().first_byte_timeout, Errc::origin_first_byte_timeout);
    }
    llhttp_errno_t err = llhttp_execute(&parser_, data, static_cast<std::size_t>(nread));
    if (phase_ != Phase::exchanging) return;
    if (err == HPE_PAUSED) {
        // Paused after the complete response. Bytes after it answer nothing we asked: an
        // origin that sends more than it framed cannot be trusted with the next request
        // (its extra bytes could be read as that request's response), so it is closed.
        const char* end = data + nread;
        if (llhttp_get_error_pos(&parser_) != end) exchange_.refuse_reuse();
        finish_exchange();
        return;
    }
    if (err != HPE_OK) fail_exchange(exchange_.failure(Errc::origin_bad_response));
}

void OriginConnection::finish_exchange() {
    uv_timer_stop(&timer_);
    if (permit_) permit_.fail(Errc::fetch_abandoned);  // completed by now, in any case
    detach_client();
    if (!exchange_.keep_alive() || !body_ended_) {
        pool_.forget(*this);
        close();
        return;
    }
    phase_ = Phase::idle;
    // Paused as the response ended in the same read: an idle connection must read, to see
    // the origin close it.
    if (std::exchange(response_paused_, false)) begin_reading();
    pool_.park(*this);
}

void OriginConnection::fail_connect(Errc error) {
    // Nothing was sent: another server of the origin may take the request (unless it has a
    // body, which streams from the client and is not kept).
    pool_.counters().count_error(error);
    note_server_failure();
    OriginPools& pools = pool_.owner();
    if (!permit_) return fail_exchange(error, /*counted=*/true);
    FetchClient* client = std::exchange(client_, nullptr);
    if (OriginConnection* next = pools.start_elsewhere(request_, permit_, pool_.server())) {
        pool_.forget(*this);
        close();
        hand_over(client, next);
        return;
    }
    client_ = client;
    fail_exchange(error, /*counted=*/true);
}

void OriginConnection::note_server_failure() {
    // A drill's refusal or timeout is played, not the server's: left out, it would stay out
    // of the rotation after the drill (README, "Drills").
    if (drilled()) return;
    const Origin& origin = pool_.settings();
    OriginServer& server = pool_.server();
    if (server.health.failed(context_.clock.monotonic_ms(), origin.max_fails,
                             origin.fail_timeout)) {
        log::write(log::Level::warn, "origin server left out of the rotation",
                   {{"origin", origin.name},
                    {"server", server.authority},
                    {"failures", static_cast<std::int64_t>(server.health.failures())},
                    {"for_ms", static_cast<std::int64_t>(origin.fail_timeout)}});
    }
}

void OriginConnection::fail_exchange(Errc error, bool counted) {
    if (!counted) {
        pool_.counters().count_error(error);
        // Before a response head, a reset or a timeout says the server is unwell; after
        // one, it answered (a body cut short is the response's failure, not the server's).
        // A kept-alive connection it closed as we reused it says nothing of its health.
        const bool reset_fresh = error == Errc::origin_reset && !reused_;
        if (!exchange_.head_published() &&
            (reset_fresh || error == Errc::origin_first_byte_timeout)) {
            note_server_failure();
        }
    }
    drop_recording();  // never a failed or truncated response
    // A stored response may stand in (and complete the permit); otherwise the fill fails.
    if (permit_ && !exchange_.head_published()) serve_stale_on_error(context_, request_, permit_);
    if (permit_) permit_.fail(error);
    detach_client();
    pool_.forget(*this);
    close();
}

void OriginConnection::close() noexcept {
    if (phase_ == Phase::closing) return;
    phase_ = Phase::closing;
    drop_recording();
    // Closed mid-exchange (shutdown): no waiter may hang on it.
    if (permit_) permit_.fail(Errc::origin_reset);
    detach_client();
    auto on_closed = [](uv_handle_t* h) {
        static_cast<OriginConnection*>(h->data)->handle_closed();
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_closed);
}

void OriginConnection::drop_recording() noexcept {
    if (!recording_) return;
    recording_.reset();
    admin::bump(context_.counters.record_skipped);
}

void OriginConnection::finish_recording() {
    if (!recording_ || !context_.recorder) return;
    context_.recorder->record(recording_->finish(uv_hrtime(), context_.clock.now()));
    recording_.reset();
    admin::bump(context_.counters.recorded);
}

bool OriginConnection::attach_client(FetchClient* client) noexcept {
    if (phase_ == Phase::closing || !permit_) return false;
    client_ = client;
    return true;
}

void OriginConnection::hand_over(FetchClient* client, OriginConnection* next) noexcept {
    if (!client) return;
    if (next && next->attach_client(client))
        client->on_origin_moved(*next);  // interim responses and flow control follow it
    else
        client->on_origin_gone();  // the retry ended already (it failed at once)
}

void OriginConnection::detach_client() noexcept {
    if (FetchClient* client = std::exchange(client_, nullptr)) client->on_origin_gone();
}

void OriginConnection::handle_closed() {
    if (--open_handles_ > 0) return;
    admin::bump(pool_.context().counters.origin_connections, -1);
    delete this;
}

}  // namespace cachet::proxy
