#pragma once
// One accepted client connection of a small test or demo origin.
//
// Invariants:
// - Requests are handled strictly one at a time: the parser pauses at each message end and
//   resumes only after the handler called finish(), so pipelined requests are answered in order.
// - The object is deleted only by the close callback of its last handle (tcp_ and timer_), so a
//   pending write or timer callback never sees a dead connection; once closing, callbacks that
//   handlers registered (write completions, timers) are dropped, never run.
// - On a TLS listener every byte crosses tls_ (tls_transport.hpp): reads are decrypted into
//   input_, writes are encrypted when queued, so the ciphertext keeps the order of the calls.
#include <llhttp.h>
#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "origin_server/request.hpp"
#include "origin_server/tls_transport.hpp"

namespace cachet::tools {

class Server;

class Connection {
public:
    explicit Connection(Server& server);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Called once by the server after uv_accept succeeded on tcp().
    void start() noexcept;
    uv_tcp_t* tcp() noexcept { return &tcp_; }
    std::uint64_t id() const noexcept { return id_; }

    // The request being answered; valid until finish() or close.
    const Request& request() const noexcept { return request_; }

    // Queues bytes; on_written runs once they are handed to the kernel, unless the connection
    // closed meanwhile.
    void write(std::string bytes, std::function<void()> on_written = {});
    // Runs fn after ms milliseconds unless the connection closed. One pending timer at a time.
    void after(std::uint64_t ms, std::function<void()> fn);
    // The response to request() is complete: answer the next pipelined request, or close gracefully
    // when the request did not allow keep-alive.
    void finish();
    // Sends FIN once queued writes are flushed, drains what the peer still sends, then closes.
    // Over TLS a close_notify goes first: the peer knows the stream ended where we meant it to.
    void close_gracefully();
    // The same FIN, but over TLS without close_notify (RFC 9112 §9.8's incomplete close): the
    // peer cannot tell this end from a cut connection. Plain HTTP: close_gracefully().
    void close_without_notify();
    // Aborts with an RST (SO_LINGER 0) without flushing anything.
    void reset();
    // Closes now.
    void close() noexcept;
    bool closing() const noexcept { return closing_; }
    // Null on a plain HTTP listener; on a TLS one, established before any request arrives.
    const TlsTransport* tls() const noexcept { return tls_.get(); }

    // Free for the handler: set once the connection carried a request it counted.
    bool counted = false;

private:
    friend class Server;
    ~Connection();  // only the last close callback deletes

    void handle_read(ssize_t nread, const uv_buf_t* buf);
    bool receive_tls(const char* data, std::size_t size);
    void send_raw(std::string bytes, std::function<void()> on_written = {});
    void shut_down(bool close_notify);
    void process_input();
    void reject_malformed();
    void close_handles(bool with_reset) noexcept;
    void handle_closed() noexcept;

    static void on_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) noexcept;
    static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) noexcept;
    static void on_timer(uv_timer_t* t) noexcept;
    static void on_shutdown(uv_shutdown_t* req, int status) noexcept;
    static void on_close(uv_handle_t* h) noexcept;

    static int on_message_begin(llhttp_t* p) noexcept;
    static int on_url(llhttp_t* p, const char* at, size_t len) noexcept;
    static int on_header_field(llhttp_t* p, const char* at, size_t len) noexcept;
    static int on_header_value(llhttp_t* p, const char* at, size_t len) noexcept;
    static int on_headers_complete(llhttp_t* p) noexcept;
    static int on_body(llhttp_t* p, const char* at, size_t len) noexcept;
    static int on_message_complete(llhttp_t* p) noexcept;
    static const llhttp_settings_t* parser_settings() noexcept;

    Server& server_;  // borrowed: the server outlives its connections
    std::uint64_t id_;
    uv_tcp_t tcp_{};
    uv_timer_t timer_{};
    uv_shutdown_t shutdown_req_{};
    llhttp_t parser_{};
    std::function<void()> timer_fn_;
    std::unique_ptr<TlsTransport> tls_;  // null: plain HTTP

    std::string input_;           // bytes read and not yet consumed by the parser
    std::size_t input_used_ = 0;  // prefix of input_ the parser consumed
    Request request_;
    bool in_header_value_ = false;
    bool request_ready_ = false;  // the parser paused at the end of request_
    // This request's method is QUERY, shown to llhttp as PATCH (cachet's
    // http/query_method.hpp).
    bool query_ = false;
    bool responding_ = false;   // the handler owns the connection until finish()
    bool in_dispatch_ = false;  // inside the handler call: finish() must not recurse
    bool reading_ = false;
    bool peer_eof_ = false;
    bool draining_ = false;  // FIN sent: discard input until the peer closes
    bool closing_ = false;
    int open_handles_ = 0;
};

}  // namespace cachet::tools
