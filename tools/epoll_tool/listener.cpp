#include "epoll_tool/listener.hpp"

#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

namespace cachet::tools::epoll_tool {
namespace {

sigset_t stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    return signals;
}

}  // namespace

void block_stop_signals() {
    sigset_t signals = stop_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

int open_listener(sockaddr_in& addr) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4096) != 0) {
        close(fd);
        return -1;
    }
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return fd;
}

int serve_until_stopped(const char* program, const ListenerOptions& options,
                        std::string_view details, const ServeLoop& serve) {
    // Signals are taken synchronously by main with sigwait; every thread inherits the mask.
    block_stop_signals();
    int stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

    sockaddr_in addr = options.listen;
    std::vector<int> listeners;
    for (unsigned i = 0; i < options.threads; ++i) {
        int fd = open_listener(addr);
        if (fd < 0) {
            std::fprintf(stderr, "%s: cannot listen on port %u: %s\n", program,
                         ntohs(addr.sin_port), std::strerror(errno));
            return 1;
        }
        listeners.push_back(fd);
    }

    std::vector<std::thread> threads;
    for (int fd : listeners) {
        threads.emplace_back([fd, stop_fd, &serve] { serve(fd, stop_fd); });
    }

    char host[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
    std::printf("%s: %.*s%s%u thread%s, listening on %s:%u\n", program,
                static_cast<int>(details.size()), details.data(), details.empty() ? "" : ", ",
                options.threads, options.threads == 1 ? "" : "s", host, ntohs(addr.sin_port));
    std::fflush(stdout);

    sigset_t signals = stop_signals();
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    std::uint64_t one = 1;
    if (write(stop_fd, &one, sizeof one) != sizeof one) return 1;
    for (auto& thread : threads) thread.join();
    for (int fd : listeners) close(fd);
    close(stop_fd);
    return 0;
}

}  // namespace cachet::tools::epoll_tool
