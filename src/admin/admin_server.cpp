#include "admin/admin_server.hpp"

#include <cstdio>

#include "admin/admin_connection.hpp"
#include "admin/drill_endpoints.hpp"
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
    uv_timer_init(&loop_, &sweep_);
    sweep_.data = this;
}

AdminServer::~AdminServer() {
    stop();
    uv_loop_close(&loop_);
}

// From the current snapshot: a SIGHUP can rotate the token without a restart.
std::string AdminServer::token() const { return runtime_.configs.current()->admin_token; }

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
    constexpr std::uint64_t kSweepMs = 1'000;
    uv_timer_start(
        &sweep_, [](uv_timer_t* t) { static_cast<AdminServer*>(t->data)->sweep(); }, kSweepMs,
        kSweepMs);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_run(&loop_, UV_RUN_DEFAULT);  // close callbacks still pending
}

void AdminServer::sweep() {
    // From the current snapshot: a SIGHUP changes the timeout of open connections too.
    const Millis timeout = runtime_.configs.current()->admin_timeout;
    const Millis now = uv_now(&loop_);
    for (AdminConnection* c = connections_; c != nullptr;) {
        AdminConnection* next = c->next;
        if (c->waited_too_long(now, timeout)) c->close();
        c = next;
    }
    end_expired_drills(context_);
}

void AdminServer::close_everything() {
    uv_close(reinterpret_cast<uv_handle_t*>(&sweep_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
    while (connections_) connections_->close();  // each removes itself
    uv_close(reinterpret_cast<uv_handle_t*>(&stop_), nullptr);
}

bool AdminServer::add(AdminConnection& c) noexcept {
    if (connection_count_ >= kMaxConnections) {
        // Newest first in the list: `<=` leaves the oldest of equal waits.
        AdminConnection* longest = nullptr;
        for (AdminConnection* o = connections_; o != nullptr; o = o->next) {
            if (o->waiting() && (!longest || o->waiting_since() <= longest->waiting_since()))
                longest = o;
        }
        if (!longest) return false;
        longest->close();  // removes itself
    }
    ++connection_count_;
    c.next = connections_;
    c.prev = nullptr;
    if (connections_) connections_->prev = &c;
    connections_ = &c;
    return true;
}

void AdminServer::remove(AdminConnection& c) noexcept {
    if (!c.prev && connections_ != &c) return;  // never listed (refused)
    --connection_count_;
    if (c.prev)
        c.prev->next = c.next;
    else if (connections_ == &c)
        connections_ = c.next;
    if (c.next) c.next->prev = c.prev;
    c.next = c.prev = nullptr;
}

}  // namespace cachet::admin
