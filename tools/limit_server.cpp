// cachet-limit-server: the physical limit for answering a cache hit on one core.
//
// Every request gets the same prebuilt response. The server does only what any HTTP/1.1 server
// must do to stay in step with its client: find where each request ends ("\r\n\r\n") so that
// pipelined requests get one response each. No parsing beyond that, no lookup, no copy: all the
// responses owed for one read go out in one writev() whose iovecs all point at the one prebuilt
// response. Its server-core CPU per request (scripts/bench.sh, docs/benchmarks.md) is the floor
// the caches' hit paths are measured against.
//
// Invariants:
// - Each thread owns its epoll instance, its SO_REUSEPORT listening socket and the connections
//   the kernel hands that socket; threads share only the prebuilt response (immutable once the
//   threads start) and the stop eventfd (written once, by main, never read).
// - A connection owes `owed` whole responses; `offset` bytes of the first are already written.
//   While it owes any after a short write, it waits for EPOLLOUT and reads nothing more, so a
//   client that never reads cannot make the server buffer without bound.
// - Requests are assumed to have no body (the benchmark sends only GETs); a body containing
//   "\r\n\r\n" would be counted as a request. This is a measuring instrument, not a server.
//
// Usage: cachet-limit-server --listen 127.0.0.1:PORT [--size 1024] [--threads 1]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

constexpr std::uint64_t kMaxBodyBytes = 64ull << 20;
constexpr std::size_t kReadBytes = 64 * 1024;
constexpr int kMaxIov = 1024;   // IOV_MAX on Linux

struct Options {
    sockaddr_in listen{};
    std::uint64_t body_bytes = 1024;
    unsigned threads = 1;
};

void print_usage(std::FILE* to) {
    std::fputs("usage: cachet-limit-server --listen 127.0.0.1:PORT [--size BYTES] [--threads N]\n"
               "  Answers every request with one prebuilt 200 response of BYTES body bytes\n"
               "  (default 1024; suffixes k and m accepted), on N threads (default 1), each\n"
               "  with its own epoll loop and SO_REUSEPORT socket. PORT 0 picks a free port.\n"
               "  Prints '... listening on ADDR:PORT' when ready; stops on SIGTERM or SIGINT.\n",
               to);
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data()) return std::nullopt;
    std::string_view suffix(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (suffix.empty()) return value;
    if (suffix == "k" || suffix == "K") return value << 10;
    if (suffix == "m" || suffix == "M") return value << 20;
    return std::nullopt;
}

std::optional<sockaddr_in> parse_listen(std::string_view text) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string host(text.substr(0, colon));
    auto port = parse_count(text.substr(colon + 1));
    if (!port || *port > 65535) return std::nullopt;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(*port));
    if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return std::nullopt;
    return addr;
}

// Returns the options, or prints what is wrong and how to fix it and returns nothing.
std::optional<Options> parse_options(int argc, char** argv) {
    Options options;
    bool have_listen = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            print_usage(stdout);
            std::exit(0);
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "cachet-limit-server: %s: expected a value after it\n", argv[i]);
            return std::nullopt;
        }
        std::string_view value = argv[++i];
        if (arg == "--listen") {
            auto addr = parse_listen(value);
            if (!addr) {
                std::fprintf(stderr,
                             "cachet-limit-server: --listen: expected an IPv4 address and port "
                             "like 127.0.0.1:8080, got \"%s\"\n",
                             argv[i]);
                return std::nullopt;
            }
            options.listen = *addr;
            have_listen = true;
        } else if (arg == "--size") {
            auto size = parse_count(value);
            if (!size || *size > kMaxBodyBytes) {
                std::fprintf(stderr,
                             "cachet-limit-server: --size: expected a byte count up to 64m like "
                             "1024 or 64k, got \"%s\"\n",
                             argv[i]);
                return std::nullopt;
            }
            options.body_bytes = *size;
        } else if (arg == "--threads") {
            auto threads = parse_count(value);
            if (!threads || *threads < 1 || *threads > 256) {
                std::fprintf(stderr,
                             "cachet-limit-server: --threads: expected 1 to 256, got \"%s\"\n",
                             argv[i]);
                return std::nullopt;
            }
            options.threads = static_cast<unsigned>(*threads);
        } else {
            std::fprintf(stderr, "cachet-limit-server: unknown option %s (try --help)\n", argv[i]);
            return std::nullopt;
        }
    }
    if (!have_listen) {
        std::fputs("cachet-limit-server: --listen 127.0.0.1:PORT is required\n", stderr);
        return std::nullopt;
    }
    return options;
}

std::string build_response(std::uint64_t body_bytes) {
    std::string response = "HTTP/1.1 200 OK\r\n"
                           "Content-Type: application/octet-stream\r\n"
                           "Cache-Control: public, max-age=3600\r\n"
                           "Content-Length: ";
    response += std::to_string(body_bytes);
    response += "\r\n\r\n";
    for (std::uint64_t i = 0; i < body_bytes; ++i) {
        response.push_back(static_cast<char>('a' + i % 26));
    }
    return response;
}

// Counts request ends ("\r\n\r\n") in `bytes`. `matched` carries how many bytes of the
// terminator the previous read ended with, so a terminator split across reads still counts.
std::uint64_t count_request_ends(const char* bytes, std::size_t size, std::uint8_t& matched) {
    static constexpr char kEnd[4] = {'\r', '\n', '\r', '\n'};
    std::uint64_t ends = 0;
    for (std::size_t i = 0; i < size; ++i) {
        char c = bytes[i];
        if (c == kEnd[matched]) {
            if (++matched == 4) {
                ++ends;
                matched = 0;
            }
        } else {
            // After a mismatch the only terminator prefix the bytes can still end with is "\r".
            matched = c == '\r' ? 1 : 0;
        }
    }
    return ends;
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
    // With port 0 the first bind picks the port; the other threads bind to the same one.
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return fd;
}

struct Connection {
    std::uint64_t owed = 0;      // whole responses not yet fully written
    std::size_t offset = 0;      // bytes of the first owed response already written
    std::uint8_t matched = 0;    // bytes of "\r\n\r\n" the last read ended with
    bool open = false;
    bool waiting_to_write = false;
};

class Loop {
public:
    Loop(int listen_fd, int stop_fd, std::string_view response)
        : listen_fd_(listen_fd), stop_fd_(stop_fd), response_(response) {}

    void run() {
        epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
        watch(listen_fd_, EPOLLIN, EPOLL_CTL_ADD);
        watch(stop_fd_, EPOLLIN, EPOLL_CTL_ADD);
        std::array<epoll_event, 256> events{};
        for (;;) {
            int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1);
            if (n < 0 && errno == EINTR) continue;
            for (int i = 0; i < n; ++i) {
                int fd = events[static_cast<std::size_t>(i)].data.fd;
                if (fd == stop_fd_) return shut_down();
                if (fd == listen_fd_) {
                    accept_all();
                } else {
                    on_ready(fd, events[static_cast<std::size_t>(i)].events);
                }
            }
        }
    }

private:
    void watch(int fd, std::uint32_t events, int op) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        epoll_ctl(epoll_fd_, op, fd, &ev);
    }

    void accept_all() {
        for (;;) {
            int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;   // EAGAIN, or a transient error: the next event retries
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (static_cast<std::size_t>(fd) >= connections_.size()) {
                connections_.resize(static_cast<std::size_t>(fd) * 2 + 1);
            }
            connections_[static_cast<std::size_t>(fd)] = Connection{.open = true};
            watch(fd, EPOLLIN, EPOLL_CTL_ADD);
        }
    }

    void on_ready(int fd, std::uint32_t events) {
        Connection& conn = connections_[static_cast<std::size_t>(fd)];
        if (!conn.open) return;
        if (conn.waiting_to_write) {
            if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
            if (!flush(fd, conn)) return end(fd, conn);
            if (conn.owed == 0) {
                conn.waiting_to_write = false;
                watch(fd, EPOLLIN, EPOLL_CTL_MOD);
            }
            return;
        }
        for (;;) {
            ssize_t n = read(fd, buffer_.data(), buffer_.size());
            if (n == 0) return end(fd, conn);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR) return;
                return end(fd, conn);
            }
            conn.owed += count_request_ends(buffer_.data(), static_cast<std::size_t>(n),
                                            conn.matched);
            if (!flush(fd, conn)) return end(fd, conn);
            if (conn.owed > 0) {
                conn.waiting_to_write = true;
                watch(fd, EPOLLOUT, EPOLL_CTL_MOD);
                return;
            }
            // A full buffer means more bytes are likely waiting; anything less, let epoll say.
            if (static_cast<std::size_t>(n) < buffer_.size()) return;
        }
    }

    // Writes what `conn` owes until done or the socket is full; false if the socket failed.
    bool flush(int fd, Connection& conn) {
        const std::size_t size = response_.size();
        while (conn.owed > 0) {
            int count = static_cast<int>(std::min<std::uint64_t>(conn.owed, kMaxIov));
            iov_[0].iov_base = const_cast<char*>(response_.data() + conn.offset);
            iov_[0].iov_len = size - conn.offset;
            for (int i = 1; i < count; ++i) {
                iov_[static_cast<std::size_t>(i)].iov_base = const_cast<char*>(response_.data());
                iov_[static_cast<std::size_t>(i)].iov_len = size;
            }
            ssize_t n = writev(fd, iov_.data(), count);
            if (n < 0) return errno == EAGAIN || errno == EINTR;
            std::size_t position = conn.offset + static_cast<std::size_t>(n);
            conn.owed -= position / size;
            conn.offset = position % size;
        }
        return true;
    }

    void end(int fd, Connection& conn) {
        conn = Connection{};
        close(fd);   // also removes it from the epoll set
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
    std::string_view response_;                       // borrowed from main, immutable
    std::vector<Connection> connections_;             // indexed by fd
    std::array<char, kReadBytes> buffer_{};           // one read's bytes, then discarded
    std::array<iovec, kMaxIov> iov_{};
};

}   // namespace

int main(int argc, char** argv) {
    auto options = parse_options(argc, argv);
    if (!options) return 2;

    // Signals are taken synchronously by main with sigwait; every thread inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    const std::string response = build_response(options->body_bytes);
    int stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

    sockaddr_in addr = options->listen;
    std::vector<int> listeners;
    for (unsigned i = 0; i < options->threads; ++i) {
        int fd = open_listener(addr);
        if (fd < 0) {
            std::fprintf(stderr, "cachet-limit-server: cannot listen on port %u: %s\n",
                         ntohs(addr.sin_port), std::strerror(errno));
            return 1;
        }
        listeners.push_back(fd);
    }

    std::vector<std::thread> threads;
    for (int fd : listeners) {
        threads.emplace_back([fd, stop_fd, &response] { Loop(fd, stop_fd, response).run(); });
    }

    char host[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
    std::printf("cachet-limit-server: %llu-byte bodies, %u thread%s, listening on %s:%u\n",
                static_cast<unsigned long long>(options->body_bytes), options->threads,
                options->threads == 1 ? "" : "s", host, ntohs(addr.sin_port));
    std::fflush(stdout);

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::uint64_t one = 1;
    if (write(stop_fd, &one, sizeof one) != sizeof one) return 1;
    for (auto& thread : threads) thread.join();
    for (int fd : listeners) close(fd);
    close(stop_fd);
    return 0;
}
