#pragma once
// How the epoll benchmark tools (cachet-limit-server, cachet-bench-origin) run: one thread per
// SO_REUSEPORT listening socket, each with its own epoll loop, until SIGTERM or SIGINT.
//
// Invariants:
// - SIGTERM and SIGINT are blocked in every thread and taken only by main's sigwait, so no
//   handler ever runs inside a loop.
// - The stop eventfd is written once, by main, and never read: it stays readable, so every loop
//   that watches it sees EPOLLIN and returns.
#include <netinet/in.h>

#include <functional>
#include <string_view>

#include "epoll_tool/options.hpp"

namespace cachet::tools::epoll_tool {

// Blocks SIGTERM and SIGINT in this thread and the threads it starts later, and ignores SIGPIPE.
// serve_until_stopped() calls it; call it earlier as well to hold a stop request that arrives
// during slow setup until the loops are running.
void block_stop_signals();

// A non-blocking SO_REUSEPORT listening socket bound to `addr`, or -1 with errno set. With port
// 0 it writes the port the kernel picked back into `addr`, so the next call binds the same one.
int open_listener(sockaddr_in& addr);

// One thread's loop: serves `listen_fd` until `stop_fd` becomes readable, then closes its
// connections and returns. Both descriptors are borrowed; main closes them after the join.
using ServeLoop = std::function<void(int listen_fd, int stop_fd)>;

// Opens options.threads listeners, starts `serve` on each in its own thread, prints
// "`program`: `details`, N threads, listening on ADDR:PORT" (no details: no leading ", "), waits
// for SIGTERM or SIGINT, stops and joins the threads. Returns the exit status: 0 after a clean
// stop, 1 if it could not listen or signal the loops.
int serve_until_stopped(const char* program, const ListenerOptions& options,
                        std::string_view details, const ServeLoop& serve);

}  // namespace cachet::tools::epoll_tool
