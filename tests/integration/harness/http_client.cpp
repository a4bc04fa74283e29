#include "harness/http_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/response_parser.hpp"

namespace cachet::integration {

std::string http_request(std::string_view method, std::string_view target,
                         const std::vector<std::string>& headers, std::string_view body) {
    std::string out = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
    out += "Host: 127.0.0.1\r\n";
    for (const auto& h : headers) out += h + "\r\n";
    if (!body.empty()) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

int connect_loopback(int port, Deadline deadline, std::string& error) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = std::string("socket: ") + std::strerror(errno);
        return -1;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    if (rc != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int ready = poll(&p, 1, deadline.poll_ms());
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (ready <= 0) {
            error = "connect timed out";
            rc = -1;
        } else {
            rc = err == 0 ? 0 : -1;
            if (err != 0) error = std::string("connect: ") + std::strerror(err);
        }
    } else if (rc != 0) {
        error = std::string("connect: ") + std::strerror(errno);
    }
    if (rc != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

HttpConnection::HttpConnection(int port, Deadline deadline) {
    fd_ = connect_loopback(port, deadline, connect_error_);
}

HttpConnection::HttpConnection(HttpConnection&& other) noexcept
    : fd_(other.fd_),
      connect_error_(std::move(other.connect_error_)),
      buffer_(std::move(other.buffer_)),
      eof_(other.eof_),
      reset_(other.reset_),
      sent_at_(other.sent_at_) {
    other.fd_ = -1;
}

HttpConnection::~HttpConnection() {
    if (fd_ >= 0) close(fd_);
}

bool HttpConnection::send(std::string_view bytes, Deadline deadline) {
    if (fd_ < 0) return false;
    while (!bytes.empty()) {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd_, POLLOUT, 0};
            if (poll(&p, 1, deadline.poll_ms()) <= 0) return false;
            continue;
        }
        return false;  // closed or reset: read_response() tells which, after any answer
    }
    sent_at_ = Clock::now();
    return true;
}

Reply HttpConnection::read_response(Deadline deadline, bool head_request) {
    ResponseParser parser(head_request);
    parser.reply().sent_at = sent_at_;
    auto note_body = [&] {
        if (parser.body_bytes() > 0 && parser.reply().first_body_at == Clock::time_point{}) {
            parser.reply().first_body_at = Clock::now();
        }
    };
    if (fd_ < 0) {
        parser.reply().outcome = Outcome::connect_failed;
        parser.reply().error = connect_error_;
        return parser.reply();
    }
    if (!buffer_.empty()) {
        buffer_.erase(0, parser.feed(buffer_));
        note_body();
    }
    char buf[65536];
    while (!parser.done()) {
        if (eof_ || reset_) {
            parser.feed_close(reset_);
            break;
        }
        pollfd p{fd_, POLLIN, 0};
        int ready = poll(&p, 1, deadline.poll_ms());
        if (ready == 0) break;  // the deadline passed: outcome stays `timeout`
        if (ready < 0) {
            if (errno == EINTR) continue;
            break;
        }
        ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n > 0) {
            std::string_view data(buf, static_cast<std::size_t>(n));
            std::size_t used = parser.feed(data);
            buffer_.append(data.substr(used));
            note_body();
        } else if (n == 0) {
            eof_ = true;
        } else if (errno == ECONNRESET) {
            reset_ = true;
        } else if (errno != EINTR && errno != EAGAIN) {
            reset_ = true;
        }
    }
    Reply reply = std::move(parser.reply());
    reply.done_at = Clock::now();
    if (reply.first_body_at == Clock::time_point{}) reply.first_body_at = reply.done_at;
    return reply;
}

Reply HttpConnection::exchange(std::string_view request, Deadline deadline, bool head_request) {
    if (fd_ >= 0 && !send(request, deadline) && deadline.expired()) {
        Reply r;
        r.outcome = Outcome::timeout;
        r.error = "sending the request timed out";
        return r;
    }
    // A failed send still reads: the server may have answered (400) before closing.
    return read_response(deadline, head_request);
}

bool HttpConnection::wait_closed(Deadline deadline) {
    if (fd_ < 0) return true;
    if (!buffer_.empty()) return false;
    char buf[4096];
    while (!eof_ && !reset_) {
        pollfd p{fd_, POLLIN, 0};
        int ready = poll(&p, 1, deadline.poll_ms());
        if (ready == 0) return false;
        if (ready < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n > 0) {
            buffer_.append(buf, static_cast<std::size_t>(n));
            return false;
        }
        if (n == 0) eof_ = true;
        if (n < 0 && errno != EINTR && errno != EAGAIN) reset_ = true;
    }
    return true;
}

Reply fetch(int port, std::string_view request, Clock::duration timeout, bool head_request) {
    Deadline deadline = Deadline::after(timeout);
    HttpConnection conn(port, deadline);
    if (!conn.connected()) {
        Reply r;
        r.outcome = Outcome::connect_failed;
        r.error = conn.connect_error();
        return r;
    }
    return conn.exchange(request, deadline, head_request);
}

Reply get(int port, std::string_view target, const std::vector<std::string>& headers,
          Clock::duration timeout) {
    return fetch(port, http_request("GET", target, headers), timeout);
}

}  // namespace cachet::integration
