#pragma once
// The admin API's server: one thread with its own uv loop and one listening socket, never
// the data port. It reads the workers' counter blocks and the store when asked, and touches
// nothing else of theirs. Started after the workers, stopped after they have drained, so
// /readyz can say 503 while they do.
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
    AdminServer(server::Runtime& runtime, int listen_fd);
    ~AdminServer();
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    void start();  // spawns the thread
    void stop();   // any thread: closes the listener and every connection, joins the thread

    // --- the admin thread only ---
    uv_loop_t* loop() noexcept { return &loop_; }
    AdminContext& context() noexcept { return context_; }
    std::string_view token() const noexcept;
    void add(AdminConnection& connection) noexcept;
    void remove(AdminConnection& connection) noexcept;

private:
    void run();
    void close_everything();

    server::Runtime& runtime_;
    uv_loop_t loop_;
    uv_tcp_t listener_;
    uv_async_t stop_;
    WorkerCounters counters_;  // the admin thread's own block (purges)
    AdminContext context_;
    AdminConnection* connections_ = nullptr;
    std::thread thread_;
};

}  // namespace cachet::admin
