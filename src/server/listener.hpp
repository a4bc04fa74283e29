#pragma once
// Listening sockets. Each worker gets its own socket bound with SO_REUSEPORT so the kernel
// spreads connections across workers (libuv 1.44 has no reuse-port flag, so the socket is
// made here and handed to uv_tcp_open).
#include <cstdint>
#include <string>

#include "util/result.hpp"

namespace cachet::server {

struct ListenSocket {
    int fd = -1;
    std::uint16_t port = 0;  // the bound port (the real one when 0 was asked for)
};

// On failure, `error` names the address and the system's reason.
tl::expected<ListenSocket, std::string> open_listen_socket(const std::string& host,
                                                           std::uint16_t port);

}  // namespace cachet::server
