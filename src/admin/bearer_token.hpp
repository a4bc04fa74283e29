#pragma once
// The check every mutating admin endpoint shares: `Authorization: Bearer <token>` (RFC 6750
// §2.1) against the configured --admin-token, compared in constant time. Pure.
#include <string_view>

namespace cachet::admin {

enum class Authorization : unsigned char {
    granted,
    no_token_configured,  // 403: mutating endpoints are off until a token is set
    missing,              // 401: no Bearer credentials
    wrong,                // 401: credentials that do not match
};

// Compares every byte whatever the first difference (the time depends on the lengths only).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// `header` is the request's Authorization value ("" when absent); `token` the configured one.
Authorization authorize(std::string_view header, std::string_view token) noexcept;

}  // namespace cachet::admin
