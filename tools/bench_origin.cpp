// cachet-bench-origin: the origin every cache in scripts/bench.sh sits in front of.
//
//   GET /obj/<size>/<anything>      200, <size> body bytes, Cache-Control: public, max-age=3600
//   GET /nostore/<size>/<anything>  200, <size> body bytes, Cache-Control: no-store
//   GET /__count                    text/plain: requests answered so far, /__count excluded
//   anything else                   404 (counted); a method other than GET or HEAD gets 405
//
// The body is the request target, '\n', then 'a'..'z' repeating, cut to <size>
// bytes: the same bytes for the same target every time, and a client can tell
// which object a cache returned.
// /__count lets the benchmark prove a warm cache answers without the origin:
// read it before and after a run, and the difference is what the cache fetched.
//
// Invariants:
// - Each thread owns its epoll instance, its SO_REUSEPORT listening socket and its connections;
//   threads share only `g_requests` (atomic) and the stop eventfd (written once by main).
// - A connection answers its requests in order. While a response is not fully written it reads
//   nothing more (EPOLLOUT only), so its buffers stay bounded by one read plus the responses to it.
// - This is a load generator's peer, not a server to expose: it trusts Content-Length, refuses
//   chunked request bodies, and answers a head over 64 KiB with 431 and closes.
//
// Usage: cachet-bench-origin --listen 127.0.0.1:PORT [--threads 2]
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "epoll_tool/epoll_loop.hpp"
#include "epoll_tool/listener.hpp"
#include "epoll_tool/options.hpp"

namespace epoll_tool = cachet::tools::epoll_tool;
using epoll_tool::parse_number;

namespace {

constexpr std::uint64_t kMaxBodyBytes = 64ull << 20;
constexpr std::size_t kMaxHeadBytes = 64 * 1024;
constexpr std::size_t kReadBytes = 64 * 1024;

std::atomic<std::uint64_t> g_requests{0};  // every request answered except GET /__count

constexpr char kProgram[] = "cachet-bench-origin";
constexpr std::string_view kUsage =
    "usage: cachet-bench-origin --listen 127.0.0.1:PORT [--threads N]\n"
    "  GET /obj/<size>/<any>      <size> bytes, Cache-Control: public, max-age=3600\n"
    "  GET /nostore/<size>/<any>  <size> bytes, Cache-Control: no-store\n"
    "  GET /__count               requests answered so far (not counting /__count)\n"
    "  N threads (default 2), each with its own epoll loop and SO_REUSEPORT socket.\n"
    "  PORT 0 picks a free port. Prints '... listening on ADDR:PORT' when ready;\n"
    "  stops on SIGTERM or SIGINT.\n";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The "Date" value for the current second, reformatted only when the second changes.
class DateCache {
public:
    std::string_view now() {
        std::time_t t = std::time(nullptr);
        if (t != formatted_at_) {
            std::tm tm{};
            gmtime_r(&t, &tm);
            length_ = std::strftime(text_.data(), text_.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
            formatted_at_ = t;
        }
        return {text_.data(), length_};
    }

private:
    std::time_t formatted_at_ = -1;
    std::array<char, 64> text_{};
    std::size_t length_ = 0;
};

struct Connection {
    std::string in;                  // bytes read and not yet consumed as requests
    std::string out;                 // response bytes not yet written
    std::size_t out_offset = 0;      // bytes of `out` already written
    std::uint64_t body_to_skip = 0;  // request body bytes still to discard
    bool open = false;
    bool close_after_write = false;
    bool waiting_to_write = false;
};

// What one request asks for, borrowed from the connection's input.
struct Request {
    std::string_view method;
    std::string_view target;
    bool keep_alive = true;
    bool chunked = false;
    std::uint64_t content_length = 0;
};

std::optional<Request> parse_head(std::string_view head) {
    auto line_end = head.find("\r\n");
    std::string_view line = head.substr(0, line_end);
    auto first_space = line.find(' ');
    auto last_space = line.rfind(' ');
    if (first_space == std::string_view::npos || last_space == first_space) return std::nullopt;
    Request request;
    request.method = line.substr(0, first_space);
    request.target = line.substr(first_space + 1, last_space - first_space - 1);
    std::string_view version = line.substr(last_space + 1);
    if (version == "HTTP/1.0") {
        request.keep_alive = false;
    } else if (version != "HTTP/1.1") {
        return std::nullopt;
    }
    std::string_view rest = head.substr(line_end + 2);
    while (!rest.empty()) {
        auto end = rest.find("\r\n");
        std::string_view field = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
        auto colon = field.find(':');
        if (colon == std::string_view::npos) continue;  // the blank line ending the head
        std::string_view name = field.substr(0, colon);
        std::string_view value = trim(field.substr(colon + 1));
        if (equals_ignoring_case(name, "connection")) {
            if (equals_ignoring_case(value, "close")) request.keep_alive = false;
            if (equals_ignoring_case(value, "keep-alive")) request.keep_alive = true;
        } else if (equals_ignoring_case(name, "content-length")) {
            auto length = parse_number(value);
            if (!length) return std::nullopt;
            request.content_length = *length;
        } else if (equals_ignoring_case(name, "transfer-encoding")) {
            request.chunked = true;
        }
    }
    return request;
}

class Loop : public epoll_tool::EpollLoop<Loop, Connection, 128> {
public:
    Loop(int listen_fd, int stop_fd) : EpollLoop(listen_fd, stop_fd) {}

private:
    friend EpollLoop;  // calls on_ready

    void on_ready(int fd, Connection& conn, std::uint32_t events) {
        if (conn.waiting_to_write) {
            if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
            return after_write(fd, conn);
        }
        ssize_t n = read(fd, buffer_.data(), buffer_.size());
        if (n == 0) return end(fd, conn);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return;
            return end(fd, conn);
        }
        conn.in.append(buffer_.data(), static_cast<std::size_t>(n));
        answer_complete_requests(conn);
        after_write(fd, conn);
    }

    void answer_complete_requests(Connection& conn) {
        std::size_t consumed = 0;
        while (!conn.close_after_write) {
            if (conn.body_to_skip > 0) {
                auto skip = std::min<std::uint64_t>(conn.body_to_skip, conn.in.size() - consumed);
                consumed += static_cast<std::size_t>(skip);
                conn.body_to_skip -= skip;
                if (conn.body_to_skip > 0) break;
            }
            auto end = conn.in.find("\r\n\r\n", consumed);
            if (end == std::string::npos) {
                if (conn.in.size() - consumed > kMaxHeadBytes) {
                    respond_error(conn, "431 Request Header Fields Too Large");
                }
                break;
            }
            std::string_view head(conn.in.data() + consumed, end + 4 - consumed);
            consumed = end + 4;
            answer(conn, head);
        }
        conn.in.erase(0, consumed);
    }

    void answer(Connection& conn, std::string_view head) {
        auto request = parse_head(head);
        if (!request) return respond_error(conn, "400 Bad Request");
        if (request->chunked) return respond_error(conn, "501 Not Implemented");
        conn.body_to_skip = request->content_length;
        if (!request->keep_alive) conn.close_after_write = true;

        std::string_view target = request->target;
        if (target == "/__count") {
            std::array<char, 24> digits{};
            auto end = std::to_chars(digits.begin(), digits.end(), g_requests.load()).ptr;
            std::string_view count(digits.data(), static_cast<std::size_t>(end - digits.data()));
            return respond(conn, "200 OK", "text/plain", "no-store", count, request->method);
        }
        g_requests.fetch_add(1);
        if (request->method != "GET" && request->method != "HEAD") {
            return respond(conn, "405 Method Not Allowed", "text/plain", "no-store",
                           "GET or HEAD only\n", "GET");
        }
        std::string_view cache_control;
        if (target.starts_with("/obj/")) {
            cache_control = "public, max-age=3600";
            target.remove_prefix(5);
        } else if (target.starts_with("/nostore/")) {
            cache_control = "no-store";
            target.remove_prefix(9);
        } else {
            return respond(conn, "404 Not Found", "text/plain", "no-store",
                           "try /obj/<size>/<name> or /nostore/<size>/<name>\n", request->method);
        }
        auto size = parse_number(target.substr(0, target.find('/')));
        if (!size || *size > kMaxBodyBytes || target.find('/') == std::string_view::npos) {
            return respond(conn, "400 Bad Request", "text/plain", "no-store",
                           "size: expected /obj/<bytes up to 67108864>/<name>\n", request->method);
        }
        body_.clear();
        body_.append(request->target.substr(0, *size));
        if (body_.size() < *size) body_.push_back('\n');
        while (body_.size() < *size) body_.push_back(static_cast<char>('a' + body_.size() % 26));
        respond(conn, "200 OK", "application/octet-stream", cache_control, body_, request->method);
    }

    void respond(Connection& conn, std::string_view status, std::string_view content_type,
                 std::string_view cache_control, std::string_view body, std::string_view method) {
        std::array<char, 24> length{};
        auto length_end = std::to_chars(length.begin(), length.end(), body.size()).ptr;
        conn.out.append("HTTP/1.1 ").append(status);
        conn.out.append("\r\nDate: ").append(date_.now());
        conn.out.append("\r\nContent-Type: ").append(content_type);
        conn.out.append("\r\nContent-Length: ").append(length.data(), length_end);
        conn.out.append("\r\nCache-Control: ").append(cache_control);
        if (conn.close_after_write) conn.out.append("\r\nConnection: close");
        conn.out.append("\r\n\r\n");
        if (method != "HEAD") conn.out.append(body);
    }

    void respond_error(Connection& conn, std::string_view status) {
        conn.close_after_write = true;
        respond(conn, status, "text/plain", "no-store", "", "GET");
    }

    // Writes what is pending; then either waits for EPOLLOUT, closes, or reads again.
    void after_write(int fd, Connection& conn) {
        while (conn.out_offset < conn.out.size()) {
            ssize_t n =
                write(fd, conn.out.data() + conn.out_offset, conn.out.size() - conn.out_offset);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno != EAGAIN) return end(fd, conn);
                if (!conn.waiting_to_write) {
                    conn.waiting_to_write = true;
                    watch(fd, EPOLLOUT, EPOLL_CTL_MOD);
                }
                return;
            }
            conn.out_offset += static_cast<std::size_t>(n);
        }
        conn.out.clear();
        conn.out_offset = 0;
        if (conn.close_after_write) return end(fd, conn);
        if (conn.waiting_to_write) {
            conn.waiting_to_write = false;
            watch(fd, EPOLLIN, EPOLL_CTL_MOD);
            // Requests that arrived behind the long response are already buffered.
            answer_complete_requests(conn);
            if (!conn.out.empty()) after_write(fd, conn);
        }
    }

    DateCache date_;
    std::string body_;                       // scratch for one response body, reused
    std::array<char, kReadBytes> buffer_{};  // one read's bytes, appended to a connection
};

}  // namespace

int main(int argc, char** argv) {
    auto options = epoll_tool::parse_options(kProgram, kUsage, argc, argv, {.threads = 2});
    if (!options) return 2;
    return epoll_tool::serve_until_stopped(
        kProgram, *options, "", [](int listen_fd, int stop_fd) { Loop(listen_fd, stop_fd).run(); });
}
