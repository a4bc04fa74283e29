#include "harness/concurrent.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "harness/response_parser.hpp"

namespace cachet::integration {
namespace {

enum class Phase { connecting, sending, reading, done };

struct Client {
    int fd = -1;
    Phase phase = Phase::connecting;
    std::string_view unsent;
    std::unique_ptr<ResponseParser> parser;
    Reply reply;

    void finish(Outcome failure, std::string error) {
        reply.outcome = failure;
        reply.error = std::move(error);
        end();
    }
    void end() {
        reply.done_at = Clock::now();
        if (reply.first_body_at == Clock::time_point{}) reply.first_body_at = reply.done_at;
        if (fd >= 0) close(fd);
        fd = -1;
        phase = Phase::done;
    }
};

void start_connect(Client& c, int port) {
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
        c.finish(Outcome::connect_failed, std::string("socket: ") + std::strerror(errno));
        return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        c.phase = Phase::sending;
    } else if (errno != EINPROGRESS) {
        c.finish(Outcome::connect_failed, std::string("connect: ") + std::strerror(errno));
    }
}

void on_ready(Client& c, short revents) {
    if (c.phase == Phase::connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            c.finish(Outcome::connect_failed, std::string("connect: ") + std::strerror(err));
            return;
        }
        int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c.phase = Phase::sending;
    }
    if (c.phase == Phase::sending) {
        ssize_t n = send(c.fd, c.unsent.data(), c.unsent.size(), MSG_NOSIGNAL);
        if (n > 0) c.unsent.remove_prefix(static_cast<std::size_t>(n));
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            c.phase = Phase::reading;  // the server may have answered before closing
        } else if (c.unsent.empty()) {
            c.reply.sent_at = Clock::now();
            c.phase = Phase::reading;
        }
        return;
    }
    if (c.phase == Phase::reading && (revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        char buf[65536];
        ssize_t n = recv(c.fd, buf, sizeof buf, 0);
        if (n > 0) {
            c.parser->feed(std::string_view(buf, static_cast<std::size_t>(n)));
            if (c.parser->body_bytes() > 0 && c.reply.first_body_at == Clock::time_point{}) {
                c.reply.first_body_at = Clock::now();
            }
        } else if (n == 0) {
            c.parser->feed_close(false);
        } else if (errno != EAGAIN && errno != EINTR) {
            c.parser->feed_close(true);
        }
        if (c.parser->done()) {
            Clock::time_point sent = c.reply.sent_at;
            Clock::time_point first_body = c.reply.first_body_at;
            c.reply = std::move(c.parser->reply());
            c.reply.sent_at = sent;
            c.reply.first_body_at = first_body;
            c.end();
        }
    }
}

}  // namespace

std::vector<Reply> fetch_concurrently(int port, const std::vector<std::string>& requests,
                                      Deadline deadline) {
    std::vector<Client> clients(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        clients[i].unsent = requests[i];
        clients[i].parser = std::make_unique<ResponseParser>(false);
        start_connect(clients[i], port);
    }
    std::vector<pollfd> fds;
    std::vector<std::size_t> owners;
    while (!deadline.expired()) {
        fds.clear();
        owners.clear();
        for (std::size_t i = 0; i < clients.size(); ++i) {
            const Client& c = clients[i];
            if (c.phase == Phase::done) continue;
            short events = c.phase == Phase::reading ? POLLIN : POLLOUT;
            fds.push_back(pollfd{c.fd, events, 0});
            owners.push_back(i);
        }
        if (fds.empty()) break;
        int ready = poll(fds.data(), fds.size(), deadline.poll_ms());
        if (ready < 0 && errno != EINTR) break;
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (fds[k].revents != 0) on_ready(clients[owners[k]], fds[k].revents);
        }
    }
    std::vector<Reply> replies;
    replies.reserve(clients.size());
    for (auto& c : clients) {
        if (c.phase != Phase::done) c.finish(Outcome::timeout, "no complete reply by the deadline");
        replies.push_back(std::move(c.reply));
    }
    return replies;
}

}  // namespace cachet::integration
