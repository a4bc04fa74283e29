#include "admin/bearer_token.hpp"

namespace cachet::admin {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    // The length is not secret (it is the configured token's); the content is.
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    volatile unsigned char acc = 0;
    for (std::size_t i = 0; i < n; ++i) {
        acc = static_cast<unsigned char>(
            acc | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    }
    return (diff | acc) == 0;
}

Authorization authorize(std::string_view header, std::string_view token) noexcept {
    if (token.empty()) return Authorization::no_token_configured;
    // The scheme is case-insensitive (RFC 9110 §11.1); one space, then the token68.
    constexpr std::string_view scheme = "bearer ";
    if (header.size() <= scheme.size()) return Authorization::missing;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return Authorization::missing;
    }
    std::string_view credentials = header.substr(scheme.size());
    while (!credentials.empty() && (credentials.back() == ' ' || credentials.back() == '\t'))
        credentials.remove_suffix(1);
    return constant_time_equal(credentials, token) ? Authorization::granted : Authorization::wrong;
}

}  // namespace cachet::admin
