#pragma once
// Listening sockets. Each worker gets its own socket bound with SO_REUSEPORT so the kernel
// spreads connections across workers (libuv 1.44 has no reuse-port flag, so the socket is
// made here and handed to uv_tcp_open).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cachet/config.hpp"
#include "util/result.hpp"

namespace cachet::server {

struct ListenSocket {
    int fd = -1;
    std::uint16_t port = 0;  // the bound port (the real one when 0 was asked for)
};

// On failure, the error names the flag, the address and the system's reason
// ("--listen: 127.0.0.1:8080: address already in use"). Without `reuse_port` (the admin
// listener: one socket) a port another process holds is refused even with SO_REUSEPORT.
tl::expected<ListenSocket, std::string> open_listen_socket(const std::string& host,
                                                           std::uint16_t port,
                                                           std::string_view flag = "--listen",
                                                           bool reuse_port = true);

// The workers' sockets: one per worker for each listener, the first of each deciding its
// port (0 asked for: any free one). --listen speaks TLS when a certificate is given and
// --tls-listen is not; with --tls-listen, plain and TLS listen side by side.
struct WorkerSockets {
    std::vector<int> plain;  // by worker; empty when --listen speaks TLS
    std::vector<int> tls;    // by worker; empty without a certificate
    std::uint16_t port = 0;  // --listen's
    std::uint16_t tls_port = 0;
    int plain_fd(unsigned worker) const { return plain.empty() ? -1 : plain[worker]; }
    int tls_fd(unsigned worker) const { return tls.empty() ? -1 : tls[worker]; }
    void close_all() noexcept;
};

tl::expected<WorkerSockets, std::string> open_worker_sockets(const Config& config);

}  // namespace cachet::server
