#pragma once
// What is wrong with a snapshot's bytes, and where: the value format.hpp's checks return.
// Plain data (no allocation until describe() makes the text), so decode() stays cheap and
// safe to fuzz.
#include <cstdint>
#include <string>
#include <string_view>

namespace cachet::snapshot {

enum class FormatErrc : std::uint8_t {
    empty_file,           // no byte at all
    bad_magic,            // the first bytes are not "CACHETSN"
    truncated_header,     // the magic, then the file ends inside the header
    unsupported_version,  // value = the file's version
    bad_header_checksum,  // the header's own checksum does not match it
    truncated_record,     // needed = the record's size, left = bytes from offset to the end
    checksum_mismatch,    // the payload's XXH3-64 is not the one in its frame
    unknown_kind,         // value = the kind byte
    unknown_flags,        // value = the flags byte (bits this version does not define)
    field_past_record,    // field's length runs past the payload: needed, left
    trailing_bytes,       // value = payload bytes after the last field
};

struct FormatError {
    FormatErrc code = FormatErrc::empty_file;
    std::uint64_t offset = 0;  // bytes from the file's start: the record's (or header's) first
    std::uint64_t needed = 0;  // bytes (truncated_*, field_past_record)
    std::uint64_t left = 0;    // bytes (truncated_*, field_past_record)
    std::uint64_t value = 0;   // the offending number (version, kind, flags, trailing bytes)
    std::string_view field{};  // field_past_record: the field's name, a static string
};

// One line, e.g. "truncated record at offset 1234 (needs 5000 bytes, 812 left)".
std::string describe(const FormatError& error);

}  // namespace cachet::snapshot
