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
    origin_tls_hostname_mismatch,  // the origin's certificate: tls/verify_failure.hpp
    origin_tls_expired,
    origin_tls_untrusted,
    origin_tls_rejected,   // any other verification failure
    origin_tls_handshake,  // not a certificate's fault: protocol, version, cipher, garbage
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
    case Errc::origin_tls_hostname_mismatch: return "origin certificate: hostname mismatch";
    case Errc::origin_tls_expired: return "origin certificate: expired or not yet valid";
    case Errc::origin_tls_untrusted: return "origin certificate: untrusted issuer";
    case Errc::origin_tls_rejected: return "origin certificate: rejected";
    case Errc::origin_tls_handshake: return "origin TLS handshake failed";
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
