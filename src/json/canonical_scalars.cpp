#include "json/canonical_scalars.hpp"

#include <cassert>
#include <charconv>
#include <cmath>

namespace cachet::json {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// 2^63 and 2^64 as doubles: both exact, the bounds of what int64 and uint64 hold.
constexpr double two_to_63 = 9223372036854775808.0;
constexpr double two_to_64 = 18446744073709551616.0;

template <class Number>
void append_chars(Number value, std::string& out) {
    char digits[32];  // a double's shortest form is at most 24 bytes, an integer's 20
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

// The escape for a byte JSON does not allow raw in a string, or nothing.
std::string_view short_escape(char c) noexcept {
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return {};
    }
}

}  // namespace

void write_canonical_string(std::string_view text, std::string& out) {
    out += '"';
    std::size_t plain_from = 0;  // copy runs of bytes needing no escape in one append
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
        out.append(text.substr(plain_from, i - plain_from));
        if (auto escape = short_escape(text[i]); !escape.empty()) {
            out += escape;
        } else {
            const char unicode[] = {
                '\\', 'u', '0', '0', hex_digits[byte >> 4], hex_digits[byte & 15]};
            out.append(unicode, sizeof unicode);
        }
        plain_from = i + 1;
    }
    out.append(text.substr(plain_from));
    out += '"';
}

void write_canonical_number(std::int64_t value, std::string& out) { append_chars(value, out); }

void write_canonical_number(std::uint64_t value, std::string& out) { append_chars(value, out); }

void write_canonical_number(double value, std::string& out) {
    assert(std::isfinite(value));  // JSON has no NaN or infinity, and simdjson refuses 1e400
    if (value == 0) {              // 0.0 and -0.0 alike
        out += '0';
        return;
    }
    if (std::trunc(value) == value) {
        if (value >= -two_to_63 && value < two_to_63) {
            return append_chars(static_cast<std::int64_t>(value), out);
        }
        if (value > 0 && value < two_to_64) {
            return append_chars(static_cast<std::uint64_t>(value), out);
        }
    }
    append_chars(value, out);
}

}  // namespace cachet::json
