#pragma once
// The last lines of every response head cachet sends: Age, Cache-Status (RFC 9211) and
// Connection, then the empty line. One writer for hits, derived responses (304, 206, 416),
// streamed responses and cachet's own errors alike, so they follow one rule. It writes into
// a caller's buffer: the hit path calls it per response with no allocation.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "cache/decision.hpp"
#include "cache/policy.hpp"
#include "util/time.hpp"

namespace cachet::server {

// Where the response came from, which decides what Cache-Status says.
enum class CachePhase : std::uint8_t {
    hit,        // a stored response, or one derived from it: `hit`
    stale_hit,  // a stored response served stale: `hit; detail=stale`
    forwarded,  // the origin's answer, streamed: `fwd=...` with how it went
    error,      // cachet's answer after looking (502/504, only-if-cached): `fwd=...; detail`
    refused,    // a request cachet could not read (400, 431, 501, 505): only `detail`
};

// The Connection field a response carries: none for an HTTP/1.1 connection kept open (the
// default, RFC 9112 §9.3), keep-alive for an HTTP/1.0 one kept open, close otherwise.
enum class ConnectionField : std::uint8_t { none, keep_alive, close };
constexpr ConnectionField connection_field(bool keep_alive, bool http10) noexcept {
    return !keep_alive ? ConnectionField::close
           : http10    ? ConnectionField::keep_alive
                       : ConnectionField::none;
}

struct ResponseTail {
    CachePhase phase = CachePhase::hit;
    ConnectionField connection = ConnectionField::none;
    Seconds age = -1;  // Age in seconds; negative: no Age line
    // A Date line (an HTTP-date) for a stored head that has none: a replay's answer with
    // --replay-date now. Empty: none.
    std::string_view date;
    // forwarded and error:
    cache::Forward forward = cache::Forward::miss;
    int forward_status = 0;  // forwarded: the origin's status, when it answered
    bool collapsed = false;  // forwarded: the response of a fetch another request led
    bool stored = false;     // forwarded: stored, for `ttl` more seconds
    Seconds ttl = 0;
    // Why it was not stored, or how it came about (forwarded); the reason (error, refused).
    // Written as a token when it is one, else as a quoted string (RFC 8941 §3.3.4, §3.3.3).
    std::string_view detail;
};

// Long enough for any tail: the longest detail cachet writes is one line of static text.
inline constexpr std::size_t kMaxTail = 320;

// Appends to a fixed buffer, never past its end. Literal text is copied with its size
// known at compile time, so a hit's tail is a few moves.
struct TailWriter {
    char* out;
    char* end;

    template <std::size_t N>
    void put(const char (&text)[N]) noexcept {
        constexpr std::size_t n = N - 1;
        if (static_cast<std::size_t>(end - out) < n) return;
        std::memcpy(out, text, n);
        out += n;
    }
    void put(std::string_view text) noexcept {
        const std::size_t n = std::min(text.size(), static_cast<std::size_t>(end - out));
        std::memcpy(out, text.data(), n);
        out += n;
    }
    void put_number(std::int64_t n) noexcept { out = std::to_chars(out, end, n).ptr; }
};

// The Cache-Status line of a forwarded, error or refused response (response_tail.cpp).
void put_cache_status_of_miss(TailWriter& w, const ResponseTail& tail) noexcept;

// Writes the tail into `out` and returns its length; a detail that would not fit is cut.
// Inline, with the miss phases out of line: every hit writes one.
inline std::size_t write_tail(std::span<char> out, const ResponseTail& tail) noexcept {
    TailWriter w{out.data(), out.data() + out.size()};
    if (!tail.date.empty()) [[unlikely]] {
        w.put("Date: ");
        w.put(tail.date);
        w.put("\r\n");
    }
    if (tail.age >= 0) {
        w.put("Age: ");
        w.put_number(tail.age);
        w.put("\r\n");
    }
    switch (tail.phase) {
    case CachePhase::hit: w.put("Cache-Status: cachet; hit\r\n"); break;
    case CachePhase::stale_hit: w.put("Cache-Status: cachet; hit; detail=stale\r\n"); break;
    case CachePhase::forwarded:
    case CachePhase::error:
    case CachePhase::refused: put_cache_status_of_miss(w, tail); break;
    }
    switch (tail.connection) {
    case ConnectionField::none: break;
    case ConnectionField::keep_alive: w.put("Connection: keep-alive\r\n"); break;
    case ConnectionField::close: w.put("Connection: close\r\n"); break;
    }
    w.put("\r\n");
    return static_cast<std::size_t>(w.out - out.data());
}
// The same, appended to a head being built (the miss and error paths).
void append_tail(std::string& head, const ResponseTail& tail);

}  // namespace cachet::server
