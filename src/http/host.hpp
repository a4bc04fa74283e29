#pragma once
// The Host field's value (RFC 9110 §7.2): uri-host [ ":" port ], where uri-host is an
// IP-literal in brackets, an IPv4 address or a reg-name (RFC 3986 §3.2.2).
#include <array>
#include <optional>
#include <string_view>

namespace cachet::http {

// A character of a reg-name or IPv4 address: unreserved, pct-encoded ('%' and hex digits)
// or sub-delims (RFC 3986 §2). A table: Host is checked on every request.
inline constexpr auto reg_name_chars = [] {
    std::array<bool, 256> table{};
    for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = true;
    for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = true;
    for (char c = 'A'; c <= 'Z'; ++c) table[static_cast<unsigned char>(c)] = true;
    for (char c : std::string_view("-._~%!$&'()*+,;=")) table[static_cast<unsigned char>(c)] = true;
    return table;
}();

constexpr bool is_reg_name_char(char c) noexcept {
    return reg_name_chars[static_cast<unsigned char>(c)];
}

constexpr bool all_digits(std::string_view s) noexcept {
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// True for a well-formed, non-empty Host value. Checks the characters and the shape, not
// the meaning (a reg-name is not resolved, pct-encoding is not decoded). The port may be
// empty (port = *DIGIT). One pass: it runs on every request.
constexpr bool valid_host(std::string_view value) noexcept {
    const std::size_t n = value.size();
    std::size_t i = 0;
    if (n > 0 && value[0] == '[') {  // IP-literal: IPv6address or IPvFuture in brackets
        for (i = 1; i < n && (is_reg_name_char(value[i]) || value[i] == ':'); ++i) {}
        if (i == 1 || i == n || value[i] != ']') return false;
        ++i;
    } else {
        while (i < n && is_reg_name_char(value[i])) ++i;
        if (i == 0) return false;
    }
    if (i == n) return true;
    if (value[i] != ':') return false;
    return all_digits(value.substr(i + 1));
}

// The authority of an absolute-form request target ("http://host:port/path"), without a
// userinfo, or nullopt when the target is not in absolute form with the http scheme
// (matched without regard to case). RFC 9112 §3.2.2: that authority, not the Host field,
// names the target's host.
constexpr std::optional<std::string_view> absolute_form_authority(
    std::string_view target) noexcept {
    constexpr std::string_view scheme = "http://";
    if (target.size() < scheme.size() || target[0] == '/') return std::nullopt;  // origin-form
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = target[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return std::nullopt;
    }
    std::string_view rest = target.substr(scheme.size());
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    return authority;
}

}  // namespace cachet::http
