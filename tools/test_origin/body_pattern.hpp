#pragma once
// The deterministic body the test origin sends for `size=N`, shared with the integration tests so
// that they can check every byte that crossed cachet. The body is a run of 32-byte lines, each
// starting with its own offset in hex, so a dropped, repeated or reordered piece shows up in a
// diff: "0000000000000020 bcdefghijklmno\n".
#include <cstdint>
#include <string>

namespace cachet::tools {

constexpr std::uint64_t pattern_line = 32;  // bytes

constexpr char pattern_byte(std::uint64_t offset) noexcept {
    const std::uint64_t line = offset / pattern_line;
    const std::uint64_t column = offset % pattern_line;
    if (column < 16) {
        const std::uint64_t digit = ((line * pattern_line) >> (4 * (15 - column))) & 0xf;
        return "0123456789abcdef"[digit];
    }
    if (column == 16) return ' ';
    if (column == pattern_line - 1) return '\n';
    return static_cast<char>('a' + (line + column - 17) % 26);
}

// Bytes [offset, offset + length) of the pattern.
inline std::string pattern_bytes(std::uint64_t offset, std::uint64_t length) {
    std::string out(length, '\0');
    for (std::uint64_t i = 0; i < length; ++i) out[i] = pattern_byte(offset + i);
    return out;
}

}  // namespace cachet::tools
