#include "origin_server/connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

#include "http/query_method.hpp"
#include "origin_server/server.hpp"

namespace cachet::tools {
namespace {

constexpr std::size_t max_backlog = 16u << 20;  // bytes of unparsed input before reads pause
constexpr std::size_t max_target = 64u << 10;   // bytes
constexpr std::size_t max_headers = 1000;
constexpr std::uint64_t drain_timeout_ms = 2000;

// The loop is single-threaded and each read is copied into input_ before the next one.
std::array<char, 64 * 1024> read_buffer;

struct WriteReq {
    uv_write_t req{};
    std::string bytes;
    std::function<void()> done;
    Connection* conn = nullptr;
};

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

Connection* owner(llhttp_t* p) noexcept { return static_cast<Connection*>(p->data); }

}  // namespace

const std::string* Request::header(std::string_view name) const noexcept {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) return &h.value;
    }
    return nullptr;
}

std::string_view Request::path() const noexcept {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
}

std::string_view Request::query() const noexcept {
    std::string_view t = target;
    auto q = t.find('?');
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

Connection::Connection(Server& server) : server_(server), id_(server.next_connection_id()) {
    uv_tcp_init(server_.loop(), &tcp_);
    uv_timer_init(server_.loop(), &timer_);
    tcp_.data = this;
    timer_.data = this;
    shutdown_req_.data = this;
    open_handles_ = 2;
    if (SSL_CTX* context = server_.tls_context()) tls_ = std::make_unique<TlsTransport>(context);
    server_.connections_.insert(this);
}

Connection::~Connection() { server_.forget(this); }

void Connection::start() noexcept {
    llhttp_init(&parser_, HTTP_REQUEST, parser_settings());
    parser_.data = this;
    uv_tcp_nodelay(&tcp_, 1);
    if (uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), on_alloc, on_read) != 0) {
        close();
        return;
    }
    reading_ = true;
}

void Connection::write(std::string bytes, std::function<void()> on_written) {
    if (closing_) return;
    if (tls_) {
        auto sealed = tls_->seal(bytes);
        if (!sealed) {
            close();
            return;
        }
        bytes = std::move(*sealed);
    }
    send_raw(std::move(bytes), std::move(on_written));
}

void Connection::send_raw(std::string bytes, std::function<void()> on_written) {
    if (closing_) return;
    auto w = std::make_unique<WriteReq>();
    w->bytes = std::move(bytes);
    w->done = std::move(on_written);
    w->conn = this;
    w->req.data = w.get();
    uv_buf_t buf = uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
    auto cb = [](uv_write_t* req, int status) noexcept {
        std::unique_ptr<WriteReq> done(static_cast<WriteReq*>(req->data));
        Connection* conn = done->conn;
        if (conn->closing_) return;
        if (status < 0) {
            conn->close();
            return;
        }
        if (done->done) done->done();
    };
    if (uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1, cb) != 0) {
        close();
        return;
    }
    w.release();  // owned by the pending write until its callback
}

void Connection::after(std::uint64_t ms, std::function<void()> fn) {
    if (closing_) return;
    timer_fn_ = std::move(fn);
    uv_timer_start(&timer_, on_timer, ms, 0);
}

void Connection::finish() {
    if (closing_ || !responding_) return;
    responding_ = false;
    if (!request_.keep_alive) {
        close_gracefully();
        return;
    }
    if (!reading_ && !peer_eof_ && !draining_) {
        if (uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), on_alloc, on_read) == 0) {
            reading_ = true;
        }
    }
    if (!in_dispatch_) process_input();
}

void Connection::close_gracefully() { shut_down(/*close_notify=*/true); }

void Connection::close_without_notify() { shut_down(/*close_notify=*/false); }

void Connection::shut_down(bool close_notify) {
    if (closing_ || draining_) return;
    if (tls_ && close_notify) {
        std::string notify = tls_->close_notify();
        if (!notify.empty()) send_raw(std::move(notify));
    }
    draining_ = true;
    responding_ = false;
    if (uv_shutdown(&shutdown_req_, reinterpret_cast<uv_stream_t*>(&tcp_), on_shutdown) != 0) {
        close();
    }
}

void Connection::reset() { close_handles(true); }

void Connection::close() noexcept { close_handles(false); }

void Connection::close_handles(bool with_reset) noexcept {
    if (closing_) return;
    closing_ = true;
    uv_timer_stop(&timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_close);
    if (with_reset && uv_tcp_close_reset(&tcp_, on_close) == 0) return;
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_close);
}

void Connection::handle_read(ssize_t nread, const uv_buf_t* buf) {
    if (closing_) return;
    if (nread > 0) {
        if (draining_) return;
        if (tls_) {
            if (!receive_tls(buf->base, static_cast<std::size_t>(nread))) return;
        } else {
            input_.append(buf->base, static_cast<std::size_t>(nread));
        }
        process_input();
        if (!closing_ && responding_ && reading_ && input_.size() - input_used_ > max_backlog) {
            uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
            reading_ = false;
        }
        return;
    }
    if (nread == UV_EOF) {
        peer_eof_ = true;
        reading_ = false;
        if (draining_) {
            close();
        } else if (!responding_) {
            process_input();
        }
        return;
    }
    if (nread < 0) close();
}

// Decrypts into input_ and sends what the session made (handshake records, the ticket, an
// alert). False when the bytes ended the connection's input, which is then already handled.
bool Connection::receive_tls(const char* data, std::size_t size) {
    const TlsInput got = tls_->receive(data, size, input_);
    std::string output = tls_->take_output();
    if (!output.empty()) send_raw(std::move(output));
    switch (got) {
    case TlsInput::ok: return true;
    case TlsInput::handshake_failed:
        server_.handshake_failed(*this);
        close_gracefully();  // the alert, if OpenSSL made one, then FIN
        return false;
    case TlsInput::failed: close(); return false;
    case TlsInput::peer_closed:
        // As after a FIN: what came before it is answered, then the connection closes.
        peer_eof_ = true;
        if (!responding_) process_input();
        return false;
    }
    return false;
}

void Connection::process_input() {
    if (closing_ || responding_ || draining_) return;
    if (input_used_ > 0) {
        input_.erase(0, input_used_);
        input_used_ = 0;
    }
    while (input_used_ < input_.size()) {
        char* begin = input_.data() + input_used_;
        request_ready_ = false;
        llhttp_errno_t err = llhttp_execute(&parser_, begin, input_.size() - input_used_);
        if (!request_ready_) {
            // llhttp refuses QUERY at its first byte: the same bytes again, masked. (Tests
            // write a request's head at once, so its first bytes arrive together.)
            if (err == HPE_INVALID_METHOD && !query_ &&
                cachet::http::mask_query_method(begin, input_.size() - input_used_)) {
                query_ = true;
                llhttp_reset(&parser_);
                continue;
            }
            if (err != HPE_OK) {
                reject_malformed();
                return;
            }
            input_used_ = input_.size();
            break;
        }
        const char* pos = llhttp_get_error_pos(&parser_);
        input_used_ =
            pos != nullptr ? static_cast<std::size_t>(pos - input_.data()) : input_.size();
        if (err == HPE_PAUSED) llhttp_resume(&parser_);
        responding_ = true;
        in_dispatch_ = true;
        server_.dispatch(*this);
        in_dispatch_ = false;
        if (closing_ || draining_ || responding_) return;  // answered later, or closed
    }
    input_.clear();
    input_used_ = 0;
    if (peer_eof_) close_gracefully();
}

void Connection::reject_malformed() {
    static constexpr std::string_view body = "malformed request\n";
    std::string response =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
    write(std::move(response));
    close_gracefully();
}

void Connection::on_alloc(uv_handle_t*, size_t, uv_buf_t* buf) noexcept {
    *buf = uv_buf_init(read_buffer.data(), static_cast<unsigned>(read_buffer.size()));
}

void Connection::on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) noexcept {
    static_cast<Connection*>(s->data)->handle_read(nread, buf);
}

void Connection::on_timer(uv_timer_t* t) noexcept {
    auto* conn = static_cast<Connection*>(t->data);
    // Moved out first: fn may close the connection, which must not destroy a running closure.
    auto fn = std::move(conn->timer_fn_);
    conn->timer_fn_ = nullptr;
    if (!conn->closing_ && fn) fn();
}

void Connection::on_shutdown(uv_shutdown_t* req, int status) noexcept {
    auto* conn = static_cast<Connection*>(req->data);
    if (conn->closing_) return;
    if (status < 0 || conn->peer_eof_) {
        conn->close();
        return;
    }
    // Closing with unread input would send an RST that can destroy the response still in flight, so
    // wait (bounded) for the peer's FIN while discarding what it sends.
    if (!conn->reading_) {
        if (uv_read_start(reinterpret_cast<uv_stream_t*>(&conn->tcp_), on_alloc, on_read) != 0) {
            conn->close();
            return;
        }
        conn->reading_ = true;
    }
    conn->after(drain_timeout_ms, [conn] { conn->close(); });
}

void Connection::on_close(uv_handle_t* h) noexcept {
    auto* conn = static_cast<Connection*>(h->data);
    if (--conn->open_handles_ == 0) delete conn;
}

int Connection::on_message_begin(llhttp_t* p) noexcept {
    auto* c = owner(p);
    c->request_ = Request{};
    c->in_header_value_ = false;
    return 0;
}

int Connection::on_url(llhttp_t* p, const char* at, size_t len) noexcept {
    auto* c = owner(p);
    if (c->request_.target.size() + len > max_target) return -1;
    c->request_.target.append(at, len);
    return 0;
}

int Connection::on_header_field(llhttp_t* p, const char* at, size_t len) noexcept {
    auto* c = owner(p);
    auto& headers = c->request_.headers;
    if (headers.empty() || c->in_header_value_) {
        if (headers.size() >= max_headers) return -1;
        headers.emplace_back();
        c->in_header_value_ = false;
    }
    headers.back().name.append(at, len);
    return 0;
}

int Connection::on_header_value(llhttp_t* p, const char* at, size_t len) noexcept {
    auto* c = owner(p);
    if (c->request_.headers.empty()) return -1;
    c->request_.headers.back().value.append(at, len);
    c->in_header_value_ = true;
    return 0;
}

int Connection::on_headers_complete(llhttp_t* p) noexcept {
    auto* c = owner(p);
    c->request_.method =
        c->query_ ? "QUERY"
                  : llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(p)));
    c->request_.http_major = llhttp_get_http_major(p);
    c->request_.http_minor = llhttp_get_http_minor(p);
    return 0;
}

int Connection::on_body(llhttp_t* p, const char* at, size_t len) noexcept {
    auto* c = owner(p);
    c->request_.body_length += len;
    c->request_.body_checksum.update(std::string_view(at, len));
    std::string& kept = c->request_.body;
    if (kept.size() < Request::kKeptBody)
        kept.append(at, std::min(len, Request::kKeptBody - kept.size()));
    return 0;
}

int Connection::on_message_complete(llhttp_t* p) noexcept {
    auto* c = owner(p);
    // An upgraded connection carries another protocol next: answer this request, then close.
    c->request_.keep_alive = llhttp_should_keep_alive(p) != 0 && llhttp_get_upgrade(p) == 0;
    c->request_ready_ = true;
    c->query_ = false;  // the method's name was taken at the head
    return HPE_PAUSED;  // one request at a time: resumed after finish()
}

const llhttp_settings_t* Connection::parser_settings() noexcept {
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_message_begin = on_message_begin;
        s.on_url = on_url;
        s.on_header_field = on_header_field;
        s.on_header_value = on_header_value;
        s.on_headers_complete = on_headers_complete;
        s.on_body = on_body;
        s.on_message_complete = on_message_complete;
        return s;
    }();
    return &settings;
}

}  // namespace cachet::tools
