#pragma once
// The small lexical pieces of HTTP field values (RFC 9110 §5.6), shared by every parser.
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

}  // namespace cachet::http
