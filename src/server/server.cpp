#include "server/server.hpp"

#include <netdb.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "admin/admin_server.hpp"
#include "server/listener.hpp"
#include "server/runtime.hpp"
#include "server/worker.hpp"

namespace cachet::server {
namespace {

tl::expected<sockaddr_storage, std::string> resolve_origin(const OriginAddress& origin) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    std::string port = std::to_string(origin.port);
    int rc = ::getaddrinfo(origin.host.c_str(), port.c_str(), &hints, &result);
    if (rc != 0 || !result) {
        return tl::unexpected("--origin: cannot resolve \"" + origin.host +
                              "\": " + gai_strerror(rc));
    }
    sockaddr_storage address{};
    std::memcpy(&address, result->ai_addr, result->ai_addrlen);
    ::freeaddrinfo(result);
    return address;
}

// Blocks SIGTERM/SIGINT in every thread (workers inherit the mask) and waits for one here.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    return set;
}

std::string bracketed(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int run_server(const Config& config) {
    auto origin = resolve_origin(config.origin);
    if (!origin) {
        std::fprintf(stderr, "cachet: %s\n", origin.error().c_str());
        return 2;
    }
    // The first socket decides the port (port 0 = any free port); the others share it.
    std::vector<int> fds;
    std::uint16_t port = config.listen_port;
    for (unsigned i = 0; i < config.workers; ++i) {
        auto socket = open_listen_socket(config.listen_host, port);
        if (!socket) {
            std::fprintf(stderr, "cachet: %s\n", socket.error().c_str());
            for (int fd : fds) ::close(fd);
            return 1;
        }
        port = socket->port;
        fds.push_back(socket->fd);
    }
    // The admin listener: one socket, not shared (no SO_REUSEPORT), so a port another
    // process holds is refused here, before any thread starts.
    int admin_fd = -1;
    std::uint16_t admin_port = 0;
    if (config.admin_enabled) {
        auto socket = open_listen_socket(config.admin_host, config.admin_port, "--admin",
                                         /*reuse_port=*/false);
        if (!socket) {
            std::fprintf(stderr, "cachet: %s\n", socket.error().c_str());
            for (int fd : fds) ::close(fd);
            return 1;
        }
        admin_fd = socket->fd;
        admin_port = socket->port;
    }
    sigset_t stop_signals = block_stop_signals();
    Runtime runtime(config, *origin);
    for (unsigned i = 0; i < config.workers; ++i) {
        runtime.workers.push_back(std::make_unique<Worker>(i, runtime, fds[i]));
    }
    for (auto& worker : runtime.workers) worker->start();
    std::unique_ptr<admin::AdminServer> admin_server;
    std::string admin_note;
    if (admin_fd >= 0) {
        admin_server = std::make_unique<admin::AdminServer>(runtime, admin_fd);
        admin_server->start();
        admin_note = ", admin " + bracketed(config.admin_host) + ":" + std::to_string(admin_port);
    }
    std::printf("cachet listening on %s:%u (%u %s, origin %s%s)\n",
                bracketed(config.listen_host).c_str(), port, config.workers,
                config.workers == 1 ? "worker" : "workers", config.origin.authority.c_str(),
                admin_note.c_str());
    std::fflush(stdout);

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::fprintf(stderr, "cachet: %s received, finishing in-flight requests\n",
                 signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    for (auto& worker : runtime.workers) worker->request_stop();
    for (auto& worker : runtime.workers) worker->join();
    // Last: /readyz answers 503 while the workers drain.
    if (admin_server) admin_server->stop();
    return 0;
}

}  // namespace cachet::server
