#pragma once
// The small lexical pieces of HTTP field values (RFC 9110 §5.6), shared by every parser.
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace cachet::http {

// OWS: optional whitespace, spaces and horizontal tabs (RFC 9110 §5.6.3).
constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

constexpr std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

// tchar: the characters of a token (RFC 9110 §5.6.2).
constexpr bool is_tchar(char c) noexcept {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// 1*DIGIT, all of `text`, as a number that saturates at 2^64 - 1 (a length or position
// that large is past the end of anything, which is all its users need to know); nullopt
// for an empty text or any other character (no sign, no space).
constexpr std::optional<std::uint64_t> parse_digits(std::string_view text) noexcept {
    if (text.empty()) return std::nullopt;
    constexpr std::uint64_t saturated = std::numeric_limits<std::uint64_t>::max();
    // Below this, value * 10 + 9 cannot overflow: one compare per digit on the common path
    // (every origin response's Content-Length comes through here).
    constexpr std::uint64_t no_overflow = (saturated - 9) / 10;
    std::uint64_t value = 0;
    for (const char c : text) {
        const auto digit = static_cast<std::uint64_t>(static_cast<unsigned char>(c)) - '0';
        if (digit > 9) return std::nullopt;
        if (value <= no_overflow)
            value = value * 10 + digit;
        else
            value = value > (saturated - digit) / 10 ? saturated : value * 10 + digit;
    }
    return value;
}

}  // namespace cachet::http
