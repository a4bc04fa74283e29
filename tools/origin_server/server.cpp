#include "origin_server/server.hpp"

#include <csignal>
#include <cstdio>
#include <utility>
#include <vector>

namespace cachet::tools {

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return std::nullopt;
    }
    int port = 0;
    for (char c : text.substr(colon + 1)) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + (c - '0');
        if (port > 65535) return std::nullopt;
    }
    return ListenAddress{std::string(text.substr(0, colon)), port};
}

Server::Server(std::string name, Handler handler)
    : name_(std::move(name)), handler_(std::move(handler)) {
    uv_loop_init(&loop_);
}

Server::~Server() {
    // run() leaves no handle open; this only guards early returns before the loop ran.
    uv_walk(
        &loop_,
        [](uv_handle_t* h, void*) noexcept {
            if (!uv_is_closing(h)) uv_close(h, nullptr);
        },
        nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
}

std::optional<std::string> Server::use_tls(const std::string& cert_file,
                                           const std::string& key_file,
                                           HandshakeFailedHandler on_handshake_failed) {
    auto tickets = std::make_unique<tls::TicketKeys>();
    auto context = tls::make_server_context(cert_file, key_file, *tickets);
    if (!context) return context.error();
    tickets_ = std::move(tickets);
    tls_context_ = std::move(*context);
    on_handshake_failed_ = std::move(on_handshake_failed);
    return std::nullopt;
}

int Server::run(const ListenAddress& address) {
    std::signal(SIGPIPE, SIG_IGN);
    sockaddr_in addr{};
    if (uv_ip4_addr(address.host.c_str(), address.port, &addr) != 0) {
        std::fprintf(stderr, "%s: --listen: expected an IPv4 address like 127.0.0.1:0, got %s\n",
                     name_.c_str(), address.host.c_str());
        return 2;
    }
    uv_tcp_init(&loop_, &listener_);
    listener_.data = this;
    int rc = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&addr), 0);
    if (rc == 0) {
        rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 4096, on_connection);
    }
    if (rc != 0) {
        std::fprintf(stderr, "%s: cannot listen on %s:%d: %s\n", name_.c_str(),
                     address.host.c_str(), address.port, uv_strerror(rc));
        return 1;
    }
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&bound), &len);
    int port = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

    uv_signal_init(&loop_, &sigterm_);
    uv_signal_init(&loop_, &sigint_);
    sigterm_.data = this;
    sigint_.data = this;
    uv_signal_start(&sigterm_, on_signal, SIGTERM);
    uv_signal_start(&sigint_, on_signal, SIGINT);

    std::printf("%s listening on %s:%d\n", name_.c_str(), address.host.c_str(), port);
    std::fflush(stdout);

    uv_run(&loop_, UV_RUN_DEFAULT);
    return 0;
}

void Server::handle_connection(int status) {
    if (status < 0 || stopping_) return;
    auto* conn = new Connection(*this);  // deletes itself in its last close callback
    if (uv_accept(reinterpret_cast<uv_stream_t*>(&listener_),
                  reinterpret_cast<uv_stream_t*>(conn->tcp())) != 0) {
        conn->close();
        return;
    }
    conn->start();
}

void Server::stop() noexcept {
    if (stopping_) return;
    stopping_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), nullptr);
    std::vector<Connection*> open(connections_.begin(), connections_.end());
    for (Connection* conn : open) conn->close();
}

void Server::on_connection(uv_stream_t* s, int status) noexcept {
    static_cast<Server*>(s->data)->handle_connection(status);
}

void Server::on_signal(uv_signal_t* s, int) noexcept { static_cast<Server*>(s->data)->stop(); }

}  // namespace cachet::tools
