#pragma once
// One thread's epoll loop for the epoll benchmark tools: accepts from its listening socket,
// keeps a Connection per accepted fd, and hands readiness to Derived::on_ready until the stop
// eventfd becomes readable.
//
// Invariants:
// - Loop-thread-only: nothing here is shared; the listening socket and stop eventfd are
//   borrowed from main, which closes them after the thread is joined.
// - connections_[fd].open is true exactly while `fd` is an accepted socket this loop owns;
//   Derived::on_ready is called only for those.
// - CRTP rather than a virtual call: the limit server's per-request cost is the floor other
//   servers are measured against, so the dispatch must compile to a direct, inlinable call.
//
// Derived provides `void on_ready(int fd, Connection& conn, std::uint32_t events)`; Connection
// is default-constructible with a `bool open` member.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cachet::tools::epoll_tool {

template <class Derived, class Connection, std::size_t kMaxEvents>
class EpollLoop {
public:
    EpollLoop(int listen_fd, int stop_fd) : listen_fd_(listen_fd), stop_fd_(stop_fd) {}

    void run() {
        epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
        watch(listen_fd_, EPOLLIN, EPOLL_CTL_ADD);
        watch(stop_fd_, EPOLLIN, EPOLL_CTL_ADD);
        std::array<epoll_event, kMaxEvents> events{};
        for (;;) {
            int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1);
            if (n < 0 && errno == EINTR) continue;
            for (int i = 0; i < n; ++i) {
                int fd = events[static_cast<std::size_t>(i)].data.fd;
                if (fd == stop_fd_) return shut_down();
                if (fd == listen_fd_) {
                    accept_all();
                    continue;
                }
                Connection& conn = connections_[static_cast<std::size_t>(fd)];
                if (!conn.open) continue;
                static_cast<Derived*>(this)->on_ready(fd, conn,
                                                      events[static_cast<std::size_t>(i)].events);
            }
        }
    }

protected:
    void watch(int fd, std::uint32_t events, int op) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        epoll_ctl(epoll_fd_, op, fd, &ev);
    }

    void end(int fd, Connection& conn) {
        conn = Connection{};
        close(fd);  // also removes it from the epoll set
    }

private:
    void accept_all() {
        for (;;) {
            int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;  // EAGAIN, or a transient error: the next event retries
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (static_cast<std::size_t>(fd) >= connections_.size()) {
                connections_.resize(static_cast<std::size_t>(fd) * 2 + 1);
            }
            Connection& conn = connections_[static_cast<std::size_t>(fd)];
            conn = Connection{};
            conn.open = true;
            watch(fd, EPOLLIN, EPOLL_CTL_ADD);
        }
    }

    void shut_down() {
        for (std::size_t fd = 0; fd < connections_.size(); ++fd) {
            if (connections_[fd].open) end(static_cast<int>(fd), connections_[fd]);
        }
        close(epoll_fd_);
    }

    int listen_fd_;
    int stop_fd_;
    int epoll_fd_ = -1;
    std::vector<Connection> connections_;  // indexed by fd
};

}  // namespace cachet::tools::epoll_tool
