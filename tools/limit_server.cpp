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
#include <sys/epoll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "epoll_tool/epoll_loop.hpp"
#include "epoll_tool/listener.hpp"
#include "epoll_tool/options.hpp"

namespace epoll_tool = cachet::tools::epoll_tool;

namespace {

constexpr std::uint64_t kMaxBodyBytes = 64ull << 20;
constexpr std::size_t kReadBytes = 64 * 1024;
constexpr int kMaxIov = 1024;  // IOV_MAX on Linux

constexpr char kProgram[] = "cachet-limit-server";
constexpr std::string_view kUsage =
    "usage: cachet-limit-server --listen 127.0.0.1:PORT [--size BYTES] [--threads N]\n"
    "  Answers every request with one prebuilt 200 response of BYTES body bytes\n"
    "  (default 1024; suffixes k and m accepted), on N threads (default 1), each\n"
    "  with its own epoll loop and SO_REUSEPORT socket. PORT 0 picks a free port.\n"
    "  Prints '... listening on ADDR:PORT' when ready; stops on SIGTERM or SIGINT.\n";

std::string build_response(std::uint64_t body_bytes) {
    std::string response =
        "HTTP/1.1 200 OK\r\n"
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

struct Connection {
    std::uint64_t owed = 0;    // whole responses not yet fully written
    std::size_t offset = 0;    // bytes of the first owed response already written
    std::uint8_t matched = 0;  // bytes of "\r\n\r\n" the last read ended with
    bool open = false;
    bool waiting_to_write = false;
};

class Loop : public epoll_tool::EpollLoop<Loop, Connection, 256> {
public:
    Loop(int listen_fd, int stop_fd, std::string_view response)
        : EpollLoop(listen_fd, stop_fd), response_(response) {}

private:
    friend EpollLoop;  // calls on_ready

    void on_ready(int fd, Connection& conn, std::uint32_t events) {
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
            conn.owed +=
                count_request_ends(buffer_.data(), static_cast<std::size_t>(n), conn.matched);
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

    std::string_view response_;              // borrowed from main, immutable
    std::array<char, kReadBytes> buffer_{};  // one read's bytes, then discarded
    std::array<iovec, kMaxIov> iov_{};
};

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t body_bytes = 1024;
    auto take_size = [&body_bytes](std::string_view name, const char* value) {
        if (name != "--size") return epoll_tool::OptionResult::unknown;
        auto size = epoll_tool::parse_count(value);
        if (!size || *size > kMaxBodyBytes) {
            std::fprintf(stderr,
                         "cachet-limit-server: --size: expected a byte count up to 64m like "
                         "1024 or 64k, got \"%s\"\n",
                         value);
            return epoll_tool::OptionResult::bad_value;
        }
        body_bytes = *size;
        return epoll_tool::OptionResult::taken;
    };
    auto options =
        epoll_tool::parse_options(kProgram, kUsage, argc, argv, {.threads = 1}, take_size);
    if (!options) return 2;

    // Before the response is built: a 64m body takes a while, and a stop meanwhile must wait.
    epoll_tool::block_stop_signals();
    const std::string response = build_response(body_bytes);
    const std::string details = std::to_string(body_bytes) + "-byte bodies";
    return epoll_tool::serve_until_stopped(
        kProgram, *options, details,
        [&response](int listen_fd, int stop_fd) { Loop(listen_fd, stop_fd, response).run(); });
}
