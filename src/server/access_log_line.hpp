#pragma once
// One line of the access log (docs/configuration.md, "Access log"): a request and how it was
// answered, as a JSON object or in the combined format, written into a caller's buffer. Pure:
// the worker's log (access_log.hpp) gives the time and the room, tests give their own.
// Every field a client chose (target, host, user agent, referer) is escaped, so no byte of
// theirs can end the line, forge a field or make the JSON invalid; a field too long for the
// line is cut, and ends with "...".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "admin/counters.hpp"
#include "cachet/config.hpp"

namespace cachet::server {

// The request's side of a line: views into the connection's read buffer (a response written
// at once is logged at once) or into a LoggedRequestCopy (a streamed one, logged at its end).
struct LoggedRequest {
    std::string_view client;  // the peer's address
    std::string_view method;  // empty: the request line was not read (a refused request)
    std::string_view target;
    std::string_view host;
    std::string_view user_agent;  // empty: the request had none
    std::string_view referer;
    std::uint8_t version_major = 1;
    std::uint8_t version_minor = 1;
};

// The answer's side.
struct LoggedAnswer {
    int status = 0;
    std::uint64_t body_bytes = 0;  // of the body, as handed to the socket (no head, no framing)
    admin::CacheStatus cache = admin::CacheStatus::hit;
    // From the start of the fetch to the origin's response head reaching this request; none
    // (negative) for a response cachet writes at once: a hit, its own error or refusal.
    std::int64_t origin_us = -1;
    // From the request's dispatch to its response's last byte handed to the socket: 0 for a
    // response written at once.
    std::int64_t duration_us = 0;
};

// How much of each field a line shows (escaped bytes): the rest is cut. Their sum and the
// fixed text stay under kMaxLine, so a line always fits.
inline constexpr std::size_t kMaxClient = 64;
inline constexpr std::size_t kMaxMethod = 32;
inline constexpr std::size_t kMaxTarget = 4096;
inline constexpr std::size_t kMaxHost = 256;
inline constexpr std::size_t kMaxUserAgent = 1024;
inline constexpr std::size_t kMaxReferer = 1024;
inline constexpr std::size_t kMaxLine = 8192;  // newline included

// A LoggedRequest whose bytes outlive the read buffer (the miss path: the line is written
// when the response ends). The storage is kept from request to request, so it allocates only
// while it grows; a field is copied only as far as a line can show it.
class LoggedRequestCopy {
public:
    void assign(const LoggedRequest& request);
    const LoggedRequest& request() const noexcept { return view_; }

private:
    std::string bytes_;
    LoggedRequest view_;
};

// The time of a line as text, rendered again only when its second changes: a worker's lines
// within a second share it.
class LineTime {
public:
    void set(std::int64_t unix_ms) noexcept;
    std::string_view iso_second() const noexcept { return {iso_, 19}; }  // 2026-12-03T11:52:00
    unsigned millisecond() const noexcept { return millisecond_; }
    std::string_view common_log() const noexcept {
        return {clf_, 26};
    }  // 03/Dec/2026:11:52:00 +0000

private:
    std::int64_t second_ = INT64_MIN;
    unsigned millisecond_ = 0;
    char iso_[20] = {};
    char clf_[27] = {};
};

// Each writes the line, newline included, at `out`, which has room for kMaxLine bytes, and
// returns its length.
//   json:     {"time":"2026-12-03T11:52:00.123Z","client":"10.0.0.7","method":"GET",
//              "target":"/a","protocol":"HTTP/1.1","host":"api","status":200,"bytes":1024,
//              "cache":"miss","origin_ms":12.345,"duration_ms":13.001,"user_agent":"curl/8"}
//   combined: 10.0.0.7 - - [03/Dec/2026:11:52:00 +0000] "GET /a HTTP/1.1" 200 1024 "-"
//             "curl/8" miss 12.345 13.001
std::size_t format_json(const LoggedRequest& request, const LoggedAnswer& answer,
                        const LineTime& time, char* out) noexcept;
std::size_t format_combined(const LoggedRequest& request, const LoggedAnswer& answer,
                            const LineTime& time, char* out) noexcept;
std::size_t format_line(AccessLogFormat format, const LoggedRequest& request,
                        const LoggedAnswer& answer, const LineTime& time, char* out) noexcept;

}  // namespace cachet::server
