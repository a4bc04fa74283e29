#include "harness/slow_reader.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

namespace cachet::integration {

SlowReader::SlowReader(int port, const std::string& request) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int small = 64 * 1024;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                 ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
                     static_cast<ssize_t>(request.size());
}

SlowReader::~SlowReader() {
    if (fd_ >= 0) ::close(fd_);
}

std::string SlowReader::read_response(std::size_t body_size, Deadline deadline, bool* closed) {
    std::string out;
    std::vector<char> buffer(256 * 1024);
    auto complete = [&] {
        const std::size_t head_end = out.find("\r\n\r\n");
        return head_end != std::string::npos && out.size() >= head_end + 4 + body_size;
    };
    if (closed != nullptr) *closed = false;
    while (!complete() && !deadline.expired()) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
        if (n <= 0) {
            if (closed != nullptr) *closed = true;
            break;
        }
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    return out;
}

}  // namespace cachet::integration
