#pragma once
// The admin API's server: one thread with its own uv loop and one listening socket, never
// the data port. It reads the workers' counter blocks and the store when asked, and touches
// nothing else of theirs. Started after the workers, stopped after they have drained, so
// /readyz can say 503 while they do.
//
// A client cannot hold it: at most kMaxConnections are open, a connection past that closes
// the one that has waited longest for its next request (a probe opening a fresh connection
// is answered even while others sit idle), and a once-a-second sweep closes a connection
// that has not sent a whole request within --admin-timeout of opening or of its last answer.
#include <cstddef>
#include <memory>
#include <string_view>
#include <thread>

#include <uv.h>

#include "admin/counters.hpp"
#include "admin/exchange.hpp"

namespace cachet::admin {

class AdminConnection;

class AdminServer {
public:
    static constexpr std::size_t kMaxConnections = 64;

    AdminServer(server::Runtime& runtime, int listen_fd);
    ~AdminServer();
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    void start();  // spawns the thread
    void stop();   // any thread: closes the listener and every connection, joins the thread

    // --- the admin thread only ---
    uv_loop_t* loop() noexcept { return &loop_; }
    AdminContext& context() noexcept { return context_; }
    std::string token() const;
    // Lists a new connection; past kMaxConnections it first closes the connection waiting
    // longest for a request. False when every open one is being answered: refuse the new one.
    bool add(AdminConnection& connection) noexcept;
    void remove(AdminConnection& connection) noexcept;

private:
    void run();
    void sweep();
    void close_everything();

    server::Runtime& runtime_;
    uv_loop_t loop_;
    uv_tcp_t listener_;
    uv_async_t stop_;
    uv_timer_t sweep_;         // closes connections past --admin-timeout, ends drills
    WorkerCounters counters_;  // the admin thread's own block (purges)
    AdminContext context_;
    AdminConnection* connections_ = nullptr;
    std::size_t connection_count_ = 0;
    std::thread thread_;
};

}  // namespace cachet::admin
