#pragma once
// The Host field's value (RFC 9110 §7.2): uri-host [ ":" port ], where uri-host is an
// IP-literal in brackets, an IPv4 address or a reg-name (RFC 3986 §3.2.2).
#include <optional>
#include <string_view>

namespace cachet::http {

// A character of a reg-name or IPv4 address: unreserved, pct-encoded ('%' and hex digits)
// or sub-delims (RFC 3986 §2).
constexpr bool is_reg_name_char(char c) noexcept {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos;
}

constexpr bool all_digits(std::string_view s) noexcept {
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// True for a well-formed, non-empty Host value. Checks the characters and the shape, not
// the meaning (a reg-name is not resolved, pct-encoding is not decoded). The port may be
// empty (port = *DIGIT).
constexpr bool valid_host(std::string_view value) noexcept {
    if (value.empty()) return false;
    if (value.front() == '[') {   // IP-literal: IPv6address or IPvFuture in brackets
        const std::size_t close = value.find(']');
        if (close == std::string_view::npos || close == 1) return false;
        for (char c : value.substr(1, close - 1)) {
            if (!is_reg_name_char(c) && c != ':') return false;
        }
        const std::string_view rest = value.substr(close + 1);
        return rest.empty() || (rest.front() == ':' && all_digits(rest.substr(1)));
    }
    const std::size_t colon = value.find(':');
    const std::string_view host = value.substr(0, colon);
    if (host.empty()) return false;
    for (char c : host) {
        if (!is_reg_name_char(c)) return false;
    }
    return colon == std::string_view::npos || all_digits(value.substr(colon + 1));
}

// The authority of an absolute-form request target ("http://host:port/path"), without a
// userinfo, or nullopt when the target is not in absolute form with the http scheme
// (matched without regard to case). RFC 9112 §3.2.2: that authority, not the Host field,
// names the target's host.
constexpr std::optional<std::string_view> absolute_form_authority(std::string_view target) noexcept {
    constexpr std::string_view scheme = "http://";
    if (target.size() < scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = target[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return std::nullopt;
    }
    std::string_view rest = target.substr(scheme.size());
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    return authority;
}

}  // namespace cachet::http
