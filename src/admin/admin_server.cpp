#include "admin/admin_server.hpp"

#include <cstdio>

#include "admin/admin_connection.hpp"
#include "server/runtime.hpp"

namespace cachet::admin {

AdminServer::AdminServer(server::Runtime& runtime, int listen_fd)
    : runtime_(runtime), context_{runtime, &loop_, counters_} {
    uv_loop_init(&loop_);
    uv_tcp_init(&loop_, &listener_);
    uv_tcp_open(&listener_, listen_fd);
    listener_.data = this;
    uv_async_init(&loop_, &stop_,
                  [](uv_async_t* a) { static_cast<AdminServer*>(a->data)->close_everything(); });
    stop_.data = this;
}

AdminServer::~AdminServer() {
    stop();
    uv_loop_close(&loop_);
}

std::string_view AdminServer::token() const noexcept { return runtime_.config.admin_token; }

void AdminServer::start() {
    thread_ = std::thread([this] { run(); });
}

void AdminServer::stop() {
    if (!thread_.joinable()) return;
    uv_async_send(&stop_);
    thread_.join();
}

void AdminServer::run() {
    int rc = uv_listen(
        reinterpret_cast<uv_stream_t*>(&listener_), 128, [](uv_stream_t* server, int status) {
            if (status < 0) return;
            AdminConnection::accept(*static_cast<AdminServer*>(server->data), server);
        });
    if (rc != 0) std::fprintf(stderr, "cachet: --admin: listen: %s\n", uv_strerror(rc));
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_run(&loop_, UV_RUN_DEFAULT);  // close callbacks still pending
}

void AdminServer::close_everything() {
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
    while (connections_) connections_->close();  // each removes itself
    uv_close(reinterpret_cast<uv_handle_t*>(&stop_), nullptr);
}

void AdminServer::add(AdminConnection& c) noexcept {
    c.next = connections_;
    c.prev = nullptr;
    if (connections_) connections_->prev = &c;
    connections_ = &c;
}

void AdminServer::remove(AdminConnection& c) noexcept {
    if (c.prev)
        c.prev->next = c.next;
    else if (connections_ == &c)
        connections_ = c.next;
    if (c.next) c.next->prev = c.prev;
    c.next = c.prev = nullptr;
}

}  // namespace cachet::admin
