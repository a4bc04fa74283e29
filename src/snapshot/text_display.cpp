#include "snapshot/text_display.hpp"

#include <algorithm>

namespace cachet::snapshot {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

unsigned char byte_at(std::string_view bytes, std::size_t i) {
    return static_cast<unsigned char>(bytes[i]);
}

bool is_continuation(unsigned char byte) { return (byte & 0xc0) == 0x80; }

// The length of the well-formed UTF-8 sequence that starts at `i` (RFC 3629 §4: no
// overlong forms, no surrogates, nothing past U+10FFFF), or 0 when there is none.
std::size_t utf8_length(std::string_view bytes, std::size_t i) {
    const unsigned char lead = byte_at(bytes, i);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;  // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) low = 0xa0;
        if (lead == 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) low = 0x90;
        if (lead == 0xf4) high = 0x8f;
    } else {
        return 0;
    }
    if (bytes.size() - i < length) return 0;
    const unsigned char second = byte_at(bytes, i + 1);
    if (second < low || second > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (!is_continuation(byte_at(bytes, i + k))) return 0;
    }
    return length;
}

bool is_control(unsigned char byte) { return byte < 0x20 || byte == 0x7f; }

void append_hex_byte(std::string& out, unsigned char byte) {
    out += hex_digits[byte >> 4];
    out += hex_digits[byte & 0xf];
}

}  // namespace

std::string escape_bytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        const unsigned char byte = byte_at(bytes, i);
        const std::size_t length = utf8_length(bytes, i);
        if (byte == '\\') {
            out += "\\\\";
            i += 1;
        } else if (length == 0 || is_control(byte)) {
            out += "\\x";
            append_hex_byte(out, byte);
            i += 1;
        } else {
            out.append(bytes.substr(i, length));
            i += length;
        }
    }
    return out;
}

bool is_printable_text(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size();) {
        const unsigned char byte = byte_at(bytes, i);
        const std::size_t length = utf8_length(bytes, i);
        if (length == 0) return false;
        if (is_control(byte) && byte != '\t' && byte != '\n' && byte != '\r') return false;
        i += length;
    }
    return true;
}

std::string hex_dump(std::string_view bytes, std::size_t limit) {
    constexpr std::size_t per_line = 16;
    const std::string_view shown = bytes.substr(0, std::min(limit, bytes.size()));
    std::string out;
    for (std::size_t line = 0; line < shown.size(); line += per_line) {
        const std::string_view chunk = shown.substr(line, per_line);
        for (int shift = 28; shift >= 0; shift -= 4) out += hex_digits[(line >> shift) & 0xf];
        out += ' ';
        for (std::size_t k = 0; k < per_line; ++k) {
            out += ' ';
            if (k < chunk.size()) {
                append_hex_byte(out, byte_at(chunk, k));
            } else {
                out += "  ";
            }
        }
        out += "  |";
        for (char c : chunk) {
            const auto byte = static_cast<unsigned char>(c);
            out += byte >= 0x20 && byte < 0x7f ? c : '.';
        }
        out += "|\n";
    }
    return out;
}

}  // namespace cachet::snapshot
