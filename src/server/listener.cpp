#include "server/listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cachet::server {
namespace {

std::string failure(std::string_view flag, const std::string& host, std::uint16_t port) {
    std::string reason = std::strerror(errno);
    if (!reason.empty() && reason[0] >= 'A' && reason[0] <= 'Z') reason[0] += 'a' - 'A';
    std::string address = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return std::string(flag) + ": " + address + ":" + std::to_string(port) + ": " + reason;
}

}  // namespace

tl::expected<ListenSocket, std::string> open_listen_socket(const std::string& host,
                                                           std::uint16_t port,
                                                           std::string_view flag, bool reuse_port) {
    sockaddr_storage address{};
    socklen_t length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        length = sizeof *v6;
    } else {
        return tl::unexpected(std::string(flag) + ": \"" + host +
                              "\" is not a numeric IPv4 or IPv6 address");
    }
    int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return tl::unexpected(failure(flag, host, port));
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if ((reuse_port && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd, 4096) != 0) {
        std::string message = failure(flag, host, port);
        ::close(fd);
        return tl::unexpected(message);
    }
    sockaddr_storage bound{};
    socklen_t bound_length = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_length);
    std::uint16_t bound_port = bound.ss_family == AF_INET
                                   ? ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port)
                                   : ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
    return ListenSocket{fd, bound_port};
}

void WorkerSockets::close_all() noexcept {
    for (int fd : plain) ::close(fd);
    for (int fd : tls) ::close(fd);
    plain.clear();
    tls.clear();
}

namespace {

// `count` sockets on host:port, sharing the port the first one got.
std::string open_group(const std::string& host, std::uint16_t& port, unsigned count,
                       std::string_view flag, std::vector<int>& fds) {
    for (unsigned i = 0; i < count; ++i) {
        auto socket = open_listen_socket(host, port, flag);
        if (!socket) return socket.error();
        port = socket->port;
        fds.push_back(socket->fd);
    }
    return {};
}

}  // namespace

tl::expected<WorkerSockets, std::string> open_worker_sockets(const Config& config) {
    WorkerSockets sockets;
    const bool tls = !config.tls_cert.empty();
    const bool listen_is_tls = tls && !config.tls_listen_set;
    sockets.port = config.listen_port;
    std::string error = open_group(config.listen_host, sockets.port, config.workers, "--listen",
                                   listen_is_tls ? sockets.tls : sockets.plain);
    if (listen_is_tls) sockets.tls_port = sockets.port;
    if (error.empty() && config.tls_listen_set) {
        sockets.tls_port = config.tls_listen_port;
        error = open_group(config.tls_listen_host, sockets.tls_port, config.workers, "--tls-listen",
                           sockets.tls);
    }
    if (!error.empty()) {
        sockets.close_all();
        return tl::unexpected(error);
    }
    return sockets;
}

}  // namespace cachet::server
