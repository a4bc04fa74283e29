#pragma once
// The snapshot file format, version 1 (docs/snapshot-format.md has the byte tables):
//
//   header   32 bytes: "CACHETSN", version u32, flags u32, created i64, XXH3-64 of bytes 0..23
//   record   payload length u64, XXH3-64 of the payload u64, payload
//   payload  kind u8, flags u8, status u16, latency_us u32, response_time i64,
//            initial_age i64, lifetime i64, keep_until i64, stale_while_revalidate u32,
//            stale_if_error u32, then key, method, url, request_body, head, body,
//            each a u64 length and its bytes
//
// Every integer is little-endian. Pure functions over bytes: no I/O, no clock, no
// allocation in decode. decode() checks every length against the bytes it was given before
// using it, so any input, however damaged or hostile, gives either a record or an error
// naming its offset (a libFuzzer target can call it as is).
#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "snapshot/format_error.hpp"
#include "snapshot/record.hpp"

namespace cachet::snapshot {

inline constexpr std::string_view magic = "CACHETSN";
// The one version this cachet reads and writes. The magic and the version (bytes 0..11)
// stay where they are in every version; anything else that changes bumps the version.
inline constexpr std::uint32_t format_version = 1;
inline constexpr std::uint64_t header_size = 32;         // bytes
inline constexpr std::uint64_t frame_size = 16;          // bytes before a payload
inline constexpr std::uint64_t payload_fixed_size = 48;  // bytes before the first string

// Bits of a record's flags byte; a reader refuses any other bit.
inline constexpr std::uint8_t flag_must_revalidate = 1u << 0;
inline constexpr std::uint8_t flag_has_validators = 1u << 1;
inline constexpr std::uint8_t flag_vary_marker = 1u << 2;
inline constexpr std::uint8_t known_record_flags =
    flag_must_revalidate | flag_has_validators | flag_vary_marker;

struct FileHeader {
    std::uint32_t version = format_version;
    std::uint32_t flags = 0;   // none defined in version 1: written 0, ignored when read
    std::int64_t created = 0;  // seconds since the epoch
};

template <class T>
using FormatResult = tl::expected<T, FormatError>;

// Appends the 32 header bytes to `out`.
void encode_header(const FileHeader& header, std::string& out);
// Checks the header at the start of `file`: magic, then version, then its checksum.
FormatResult<FileHeader> decode_header(std::string_view file);

// The bytes encode() appends for `record`: frame and payload.
std::uint64_t encoded_size(const RecordView& record) noexcept;
// Appends one framed record to `out`. Its kind must be a RecordKind.
void encode(const RecordView& record, std::string& out);
void encode(const Record& record, std::string& out);

enum class ChecksumCheck : std::uint8_t {
    verify,
    skip,  // bytes a first pass has verified already (all_or_nothing's second pass)
};

struct DecodedRecord {
    RecordView record;          // views into the bytes decode() was given
    std::uint64_t next_offset;  // where the next record starts
};

// Decodes the framed record at `offset` of `file` (offset <= file.size()). An error names
// the record's offset: truncated_record, checksum_mismatch, unknown_kind, unknown_flags,
// field_past_record, trailing_bytes.
FormatResult<DecodedRecord> decode(std::string_view file, std::uint64_t offset,
                                   ChecksumCheck check = ChecksumCheck::verify);

}  // namespace cachet::snapshot
