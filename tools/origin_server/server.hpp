#pragma once
// A single-threaded libuv HTTP/1.1 origin for tests and demos: listens, hands each complete request
// to a Handler, and stops cleanly on SIGTERM or SIGINT.
#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "origin_server/connection.hpp"
#include "tls/context.hpp"
#include "tls/ticket_keys.hpp"

namespace cachet::tools {

// Called once per request, with the connection paused on it. The handler answers through the
// connection (write/after/finish/close_gracefully/reset) now or later.
using Handler = std::function<void(Connection&)>;
// Called for a connection whose TLS handshake failed, just before it is closed.
using HandshakeFailedHandler = std::function<void(Connection&)>;

struct ListenAddress {
    std::string host;
    int port = 0;
};
// "127.0.0.1:8080" -> {host, port}; nullopt when malformed.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

class Server {
public:
    Server(std::string name, Handler handler);
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    ~Server();

    // Binds, listens, prints "<name> listening on HOST:PORT" to stdout, and runs the loop until
    // SIGTERM/SIGINT. Returns the process exit status.
    int run(const ListenAddress& address);
    // Before run(): the listener speaks TLS only, with this certificate chain and key (PEM
    // files); session tickets are sealed with the server's own keys. The error names the file
    // and why it was refused.
    std::optional<std::string> use_tls(const std::string& cert_file, const std::string& key_file,
                                       HandshakeFailedHandler on_handshake_failed);
    // Null: plain HTTP.
    SSL_CTX* tls_context() const noexcept { return tls_context_.get(); }

    uv_loop_t* loop() noexcept { return &loop_; }

private:
    friend class Connection;
    void handle_connection(int status);
    void stop() noexcept;
    void forget(Connection* conn) noexcept { connections_.erase(conn); }
    void dispatch(Connection& conn) { handler_(conn); }
    void handshake_failed(Connection& conn) {
        if (on_handshake_failed_) on_handshake_failed_(conn);
    }
    std::uint64_t next_connection_id() noexcept { return ++connection_ids_; }

    static void on_connection(uv_stream_t* s, int status) noexcept;
    static void on_signal(uv_signal_t* s, int signum) noexcept;

    std::string name_;
    Handler handler_;
    std::unique_ptr<tls::TicketKeys> tickets_;  // made with the TLS context, outlives it
    tls::ContextPtr tls_context_;               // after tickets_: its ticket callback points there
    HandshakeFailedHandler on_handshake_failed_;
    uv_loop_t loop_{};
    uv_tcp_t listener_{};
    uv_signal_t sigterm_{};
    uv_signal_t sigint_{};
    std::unordered_set<Connection*> connections_;  // open ones; each deletes itself on close
    std::uint64_t connection_ids_ = 0;
    bool stopping_ = false;
};

}  // namespace cachet::tools
