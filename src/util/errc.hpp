#pragma once
// Every failure cachet reports on the hot path is one of these values, each with a
// static one-line description that goes into error responses and logs as it is.
#include <cstdint>
#include <string_view>

namespace cachet {

enum class Errc : std::uint8_t {
    bad_request,
    header_too_large,
    key_too_long,
    origin_connect_failed,
    origin_connect_timeout,
    origin_reset,
    origin_first_byte_timeout,
    origin_idle_timeout,
    origin_bad_response,
    origin_truncated,
    fetch_abandoned,
};

constexpr std::string_view describe(Errc e) noexcept {
    switch (e) {
    case Errc::bad_request: return "malformed request";
    case Errc::header_too_large: return "request header fields too large";
    case Errc::key_too_long: return "cache key too long";
    case Errc::origin_connect_failed: return "origin refused the connection";
    case Errc::origin_connect_timeout: return "origin connect timed out";
    case Errc::origin_reset: return "origin closed the connection before responding";
    case Errc::origin_first_byte_timeout: return "origin did not answer in time";
    case Errc::origin_idle_timeout: return "origin stalled mid-response";
    case Errc::origin_bad_response: return "origin sent a malformed response";
    case Errc::origin_truncated: return "origin response ended early";
    case Errc::fetch_abandoned: return "the fetch ended before its response did";
    }
    return "unknown error";
}

// The origin took too long (answered with 504 rather than 502).
constexpr bool is_timeout(Errc e) noexcept {
    return e == Errc::origin_connect_timeout || e == Errc::origin_first_byte_timeout ||
           e == Errc::origin_idle_timeout;
}

}  // namespace cachet
