#pragma once
// Header fields borrowed from a parse buffer: valid until the next read into it.
#include <cstdint>
#include <span>
#include <string_view>

namespace cachet::http {

struct HeaderView {
    std::string_view name;
    std::string_view value;
};

using HeaderSpan = std::span<const HeaderView>;

// ASCII case-insensitive comparison for field names and tokens (RFC 9110 §5.1).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
        if (x != y) return false;
    }
    return true;
}

}  // namespace cachet::http
