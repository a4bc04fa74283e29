#include "snapshot/format_error.hpp"

#include "snapshot/format.hpp"

namespace cachet::snapshot {
namespace {

std::string at_offset(const FormatError& e) { return " at offset " + std::to_string(e.offset); }

std::string needs_left(const FormatError& e) {
    return "needs " + std::to_string(e.needed) + " bytes, " + std::to_string(e.left) + " left";
}

std::string hex_byte(std::uint64_t value) {
    static constexpr char digits[] = "0123456789abcdef";
    return {'0', 'x', digits[(value >> 4) & 0xf], digits[value & 0xf]};
}

}  // namespace

std::string describe(const FormatError& e) {
    switch (e.code) {
    case FormatErrc::empty_file: return "empty file (no snapshot header)";
    case FormatErrc::bad_magic: return "not a cachet snapshot (bad magic)";
    case FormatErrc::truncated_header: return "truncated header (" + needs_left(e) + ")";
    case FormatErrc::unsupported_version:
        return "unsupported snapshot version " + std::to_string(e.value) +
               " (this cachet reads version " + std::to_string(format_version) + ")";
    case FormatErrc::bad_header_checksum: return "header checksum mismatch at offset 0";
    case FormatErrc::truncated_record:
        return "truncated record" + at_offset(e) + " (" + needs_left(e) + ")";
    case FormatErrc::checksum_mismatch: return "checksum mismatch" + at_offset(e);
    case FormatErrc::unknown_kind:
        return "unknown record kind " + std::to_string(e.value) + at_offset(e);
    case FormatErrc::unknown_flags:
        return "unknown record flags " + hex_byte(e.value) + at_offset(e);
    case FormatErrc::field_past_record:
        return "field length past the record" + at_offset(e) + " (" + std::string(e.field) + " " +
               needs_left(e) + ")";
    case FormatErrc::trailing_bytes:
        return std::to_string(e.value) + " bytes after the last field of the record" + at_offset(e);
    }
    return "unknown format error" + at_offset(e);
}

}  // namespace cachet::snapshot
