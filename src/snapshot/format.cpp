#include "snapshot/format.hpp"

#include <xxhash.h>

#include <array>
#include <cassert>
#include <cstring>
#include <limits>

#include "snapshot/byte_order.hpp"
#include "snapshot/record_copy.hpp"

namespace cachet::snapshot {
namespace {

constexpr std::uint64_t header_checksum_offset = 24;  // bytes 0..23 are what it covers
constexpr std::uint64_t text_length_size = 8;         // a string's u64 length

// The strings of a payload, in the order they are written.
struct TextField {
    std::string_view name;  // as error messages say it
    std::string_view RecordView::*member;
};
constexpr std::array<TextField, 6> text_fields{{
    {"key", &RecordView::key},
    {"method", &RecordView::method},
    {"url", &RecordView::url},
    {"request_body", &RecordView::request_body},
    {"head", &RecordView::head},
    {"body", &RecordView::body},
}};

std::uint64_t checksum(const char* data, std::uint64_t size) noexcept {
    return XXH3_64bits(data, size);
}

std::uint8_t flags_of(const RecordView& record) noexcept {
    std::uint8_t flags = 0;
    if (record.must_revalidate) flags |= flag_must_revalidate;
    if (record.has_validators) flags |= flag_has_validators;
    if (record.vary_marker) flags |= flag_vary_marker;
    return flags;
}

// Writes fields at a cursor into bytes already sized for them (encoded_size).
class PayloadWriter {
public:
    explicit PayloadWriter(char* at) noexcept : at_(at) {}
    template <class Unsigned>
    void put(Unsigned value) noexcept {
        store_le(at_, value);
        at_ += sizeof(Unsigned);
    }
    void put_signed(std::int64_t value) noexcept { put(static_cast<std::uint64_t>(value)); }
    void put_text(std::string_view text) noexcept {
        put<std::uint64_t>(text.size());
        if (!text.empty()) std::memcpy(at_, text.data(), text.size());
        at_ += text.size();
    }

private:
    char* at_;
};

FormatError error_at(FormatErrc code, std::uint64_t offset) {
    return FormatError{.code = code, .offset = offset};
}

FormatError field_past_record(std::uint64_t offset, std::string_view field, std::uint64_t needed,
                              std::uint64_t left) {
    return FormatError{.code = FormatErrc::field_past_record,
                       .offset = offset,
                       .needed = needed,
                       .left = left,
                       .field = field};
}

// The strings after the fixed fields, each length checked against what is left.
FormatResult<std::string_view> take_text(std::string_view& rest, std::string_view field,
                                         std::uint64_t offset) {
    if (rest.size() < text_length_size) {
        return tl::unexpected(field_past_record(offset, field, text_length_size, rest.size()));
    }
    const auto length = load_le<std::uint64_t>(rest.data());
    rest.remove_prefix(text_length_size);
    if (length > rest.size()) {
        return tl::unexpected(field_past_record(offset, field, length, rest.size()));
    }
    std::string_view text = rest.substr(0, length);
    rest.remove_prefix(length);
    return text;
}

void decode_fixed_fields(const char* p, RecordView& record) noexcept {
    record.status = load_le<std::uint16_t>(p + 2);
    record.latency_us = load_le<std::uint32_t>(p + 4);
    record.response_time = static_cast<std::int64_t>(load_le<std::uint64_t>(p + 8));
    record.initial_age = static_cast<std::int64_t>(load_le<std::uint64_t>(p + 16));
    record.lifetime = static_cast<std::int64_t>(load_le<std::uint64_t>(p + 24));
    record.keep_until = static_cast<std::int64_t>(load_le<std::uint64_t>(p + 32));
    record.stale_while_revalidate = load_le<std::uint32_t>(p + 40);
    record.stale_if_error = load_le<std::uint32_t>(p + 44);
}

FormatResult<RecordView> decode_payload(std::string_view payload, std::uint64_t offset) {
    if (payload.size() < payload_fixed_size) {
        return tl::unexpected(
            field_past_record(offset, "fixed fields", payload_fixed_size, payload.size()));
    }
    const char* p = payload.data();
    const auto kind = static_cast<std::uint8_t>(p[0]);
    if (kind != static_cast<std::uint8_t>(RecordKind::exchange) &&
        kind != static_cast<std::uint8_t>(RecordKind::entry)) {
        FormatError e = error_at(FormatErrc::unknown_kind, offset);
        e.value = kind;
        return tl::unexpected(e);
    }
    const auto flags = static_cast<std::uint8_t>(p[1]);
    if ((flags & ~known_record_flags) != 0) {
        FormatError e = error_at(FormatErrc::unknown_flags, offset);
        e.value = flags;
        return tl::unexpected(e);
    }
    RecordView record;
    record.kind = static_cast<RecordKind>(kind);
    record.must_revalidate = (flags & flag_must_revalidate) != 0;
    record.has_validators = (flags & flag_has_validators) != 0;
    record.vary_marker = (flags & flag_vary_marker) != 0;
    decode_fixed_fields(p, record);

    std::string_view rest = payload.substr(payload_fixed_size);
    for (const TextField& field : text_fields) {
        auto text = take_text(rest, field.name, offset);
        if (!text) return tl::unexpected(text.error());
        record.*field.member = *text;
    }
    if (!rest.empty()) {
        FormatError e = error_at(FormatErrc::trailing_bytes, offset);
        e.value = rest.size();
        return tl::unexpected(e);
    }
    return record;
}

}  // namespace

void encode_header(const FileHeader& header, std::string& out) {
    const std::size_t start = out.size();
    out.resize(start + header_size);
    char* p = out.data() + start;
    std::memcpy(p, magic.data(), magic.size());
    store_le(p + 8, header.version);
    store_le(p + 12, header.flags);
    store_le(p + 16, static_cast<std::uint64_t>(header.created));
    store_le(p + header_checksum_offset, checksum(p, header_checksum_offset));
}

FormatResult<FileHeader> decode_header(std::string_view file) {
    if (file.empty()) return tl::unexpected(error_at(FormatErrc::empty_file, 0));
    const std::size_t compared = std::min(file.size(), magic.size());
    if (file.substr(0, compared) != magic.substr(0, compared)) {
        return tl::unexpected(error_at(FormatErrc::bad_magic, 0));
    }
    if (file.size() < header_size) {
        FormatError e = error_at(FormatErrc::truncated_header, 0);
        e.needed = header_size;
        e.left = file.size();
        return tl::unexpected(e);
    }
    const char* p = file.data();
    FileHeader header;
    header.version = load_le<std::uint32_t>(p + 8);
    if (header.version != format_version) {
        FormatError e = error_at(FormatErrc::unsupported_version, 0);
        e.value = header.version;
        return tl::unexpected(e);
    }
    if (load_le<std::uint64_t>(p + header_checksum_offset) != checksum(p, header_checksum_offset)) {
        return tl::unexpected(error_at(FormatErrc::bad_header_checksum, 0));
    }
    header.flags = load_le<std::uint32_t>(p + 12);
    header.created = static_cast<std::int64_t>(load_le<std::uint64_t>(p + 16));
    return header;
}

std::uint64_t encoded_size(const RecordView& record) noexcept {
    std::uint64_t size = frame_size + payload_fixed_size;
    for (const TextField& field : text_fields) {
        size += text_length_size + (record.*field.member).size();
    }
    return size;
}

void encode(const RecordView& record, std::string& out) {
    assert(record.kind == RecordKind::exchange || record.kind == RecordKind::entry);
    const std::uint64_t size = encoded_size(record);
    const std::size_t start = out.size();
    out.resize(start + size);  // every byte of it is written below
    char* frame = out.data() + start;

    PayloadWriter payload(frame + frame_size);
    payload.put(static_cast<std::uint8_t>(record.kind));
    payload.put(flags_of(record));
    payload.put(record.status);
    payload.put(record.latency_us);
    payload.put_signed(record.response_time);
    payload.put_signed(record.initial_age);
    payload.put_signed(record.lifetime);
    payload.put_signed(record.keep_until);
    payload.put(record.stale_while_revalidate);
    payload.put(record.stale_if_error);
    for (const TextField& field : text_fields) payload.put_text(record.*field.member);

    const std::uint64_t payload_size = size - frame_size;
    store_le(frame, payload_size);
    store_le(frame + 8, checksum(frame + frame_size, payload_size));
}

void encode(const Record& record, std::string& out) { encode(view_of(record), out); }

FormatResult<DecodedRecord> decode(std::string_view file, std::uint64_t offset,
                                   ChecksumCheck check) {
    const std::uint64_t left = offset <= file.size() ? file.size() - offset : 0;
    if (left < frame_size) {
        FormatError e = error_at(FormatErrc::truncated_record, offset);
        e.needed = frame_size;
        e.left = left;
        return tl::unexpected(e);
    }
    const char* frame = file.data() + offset;
    const auto length = load_le<std::uint64_t>(frame);
    if (length > left - frame_size) {
        FormatError e = error_at(FormatErrc::truncated_record, offset);
        constexpr auto most = std::numeric_limits<std::uint64_t>::max();
        e.needed = length > most - frame_size ? most : frame_size + length;
        e.left = left;
        return tl::unexpected(e);
    }
    const std::string_view payload(frame + frame_size, length);
    if (check == ChecksumCheck::verify &&
        checksum(payload.data(), payload.size()) != load_le<std::uint64_t>(frame + 8)) {
        return tl::unexpected(error_at(FormatErrc::checksum_mismatch, offset));
    }
    auto record = decode_payload(payload, offset);
    if (!record) return tl::unexpected(record.error());
    return DecodedRecord{*record, offset + frame_size + length};
}

}  // namespace cachet::snapshot
