#include "snapshot/format.hpp"

#include <doctest/doctest.h>
#include <xxhash.h>

#include <random>

#include "snapshot/byte_order.hpp"
#include "snapshot_fixtures.hpp"

using namespace cachet::snapshot;
using namespace cachet::snapshot::testing;

namespace {

// The record at `offset` after its payload was edited: its checksum made right again, so
// that the checks after the checksum see the edit.
void reseal(std::string& file, std::uint64_t offset) {
    const auto length = load_le<std::uint64_t>(file.data() + offset);
    store_le(file.data() + offset + 8, XXH3_64bits(file.data() + offset + frame_size, length));
}

FormatError decode_error(std::string_view file, std::uint64_t offset) {
    auto decoded = decode(file, offset);
    REQUIRE_FALSE(decoded.has_value());
    return decoded.error();
}

// Where the n-th string's length sits in a payload (key = 0 ... body = 5): only right for
// a record whose earlier strings are as given.
std::uint64_t text_length_offset(const Record& r, int n) {
    const std::string* texts[] = {&r.key, &r.method, &r.url, &r.request_body, &r.head, &r.body};
    std::uint64_t at = frame_size + payload_fixed_size;
    for (int i = 0; i < n; ++i) at += 8 + texts[i]->size();
    return at;
}

}  // namespace

TEST_CASE("an exchange record with every field set decodes to the same fields") {
    const Record record = exchange_record(3);
    std::string bytes;
    encode(record, bytes);
    CHECK(bytes.size() == encoded_size(view_of(record)));
    auto decoded = decode(bytes, 0);
    REQUIRE(decoded.has_value());
    check_same(record, decoded->record);
    CHECK(decoded->next_offset == bytes.size());
}

TEST_CASE("an entry record keeps its flags, freshness and negative times") {
    const Record record = entry_record();
    std::string bytes = "prefix";
    encode(record, bytes);
    auto decoded = decode(bytes, 6);
    REQUIRE(decoded.has_value());
    check_same(record, decoded->record);
}

TEST_CASE("a record of empty strings and zeros decodes, and its strings are empty") {
    Record record;
    std::string bytes;
    encode(record, bytes);
    CHECK(bytes.size() == frame_size + payload_fixed_size + 6 * 8);
    auto decoded = decode(bytes, 0);
    REQUIRE(decoded.has_value());
    check_same(record, decoded->record);
}

TEST_CASE("a 5 MiB body of every byte value decodes intact") {
    Record record = exchange_record(1);
    record.body.resize(5u << 20);
    for (std::size_t i = 0; i < record.body.size(); ++i) record.body[i] = static_cast<char>(i * 7);
    std::string bytes;
    encode(record, bytes);
    auto decoded = decode(bytes, 0);
    REQUIRE(decoded.has_value());
    CHECK(decoded->record.body == record.body);
}

TEST_CASE("integers are little-endian at the offsets the format gives") {
    Record record;
    record.status = 0x0102;
    record.latency_us = 0x03040506;
    std::string bytes;
    encode(record, bytes);
    CHECK(static_cast<unsigned char>(bytes[frame_size + 2]) == 0x02);
    CHECK(static_cast<unsigned char>(bytes[frame_size + 3]) == 0x01);
    CHECK(static_cast<unsigned char>(bytes[frame_size + 4]) == 0x06);
    CHECK(load_le<std::uint64_t>(bytes.data()) == bytes.size() - frame_size);
}

TEST_CASE("a record cut anywhere is a truncated record naming its offset and sizes") {
    std::string bytes = "12345";
    encode(exchange_record(2), bytes);
    const std::uint64_t whole = bytes.size() - 5;
    for (std::uint64_t cut = 5; cut < bytes.size(); ++cut) {
        const FormatError e = decode_error(std::string_view(bytes).substr(0, cut), 5);
        CHECK(e.code == FormatErrc::truncated_record);
        CHECK(e.offset == 5);
        CHECK(e.left == cut - 5);
        CHECK(e.needed == (cut - 5 < frame_size ? frame_size : whole));
    }
    CHECK(describe(decode_error(std::string_view(bytes).substr(0, 30), 5)) ==
          "truncated record at offset 5 (needs " + std::to_string(whole) + " bytes, 25 left)");
}

TEST_CASE("a flipped payload byte is a checksum mismatch at the record's offset") {
    std::string bytes = std::string(40, '-');
    encode(exchange_record(4), bytes);
    for (std::size_t at = 40 + frame_size; at < bytes.size(); at += 7) {
        std::string damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
        const FormatError e = decode_error(damaged, 40);
        CHECK(e.code == FormatErrc::checksum_mismatch);
        CHECK(describe(e) == "checksum mismatch at offset 40");
    }
}

TEST_CASE("a kind this version does not know is refused with its number") {
    std::string bytes;
    encode(exchange_record(1), bytes);
    bytes[frame_size] = 7;
    reseal(bytes, 0);
    CHECK(describe(decode_error(bytes, 0)) == "unknown record kind 7 at offset 0");
}

TEST_CASE("a flag bit this version does not define is refused") {
    std::string bytes;
    encode(exchange_record(1), bytes);
    bytes[frame_size + 1] = 0x08;
    reseal(bytes, 0);
    CHECK(describe(decode_error(bytes, 0)) == "unknown record flags 0x08 at offset 0");
}

TEST_CASE("a string length past the payload is refused, naming the field") {
    const Record record = exchange_record(1);
    std::string bytes;
    encode(record, bytes);
    store_le<std::uint64_t>(bytes.data() + text_length_offset(record, 5), 1u << 30);
    reseal(bytes, 0);
    const FormatError e = decode_error(bytes, 0);
    CHECK(e.code == FormatErrc::field_past_record);
    CHECK(e.field == "body");
    CHECK(describe(e) == "field length past the record at offset 0 (body needs 1073741824 bytes, " +
                             std::to_string(record.body.size()) + " left)");
}

TEST_CASE("a payload too short for its fixed fields, or longer than its fields, is refused") {
    std::string short_payload(frame_size + 10, '\0');
    store_le<std::uint64_t>(short_payload.data(), 10);
    reseal(short_payload, 0);
    CHECK(decode_error(short_payload, 0).code == FormatErrc::field_past_record);

    std::string bytes;
    encode(exchange_record(1), bytes);
    bytes += "xyz";
    store_le<std::uint64_t>(bytes.data(), bytes.size() - frame_size);
    reseal(bytes, 0);
    CHECK(describe(decode_error(bytes, 0)) ==
          "3 bytes after the last field of the record at offset 0");
}

TEST_CASE("a length field near 2^64 is a truncation, not an overflow") {
    std::string bytes;
    encode(exchange_record(1), bytes);
    store_le<std::uint64_t>(bytes.data(), ~std::uint64_t{0} - 3);
    const FormatError e = decode_error(bytes, 0);
    CHECK(e.code == FormatErrc::truncated_record);
    CHECK(e.needed == ~std::uint64_t{0});
    CHECK(decode_error(bytes, bytes.size() + 100).left == 0);
}

TEST_CASE("the header names the magic, the version, its own checksum and a short file") {
    std::string header;
    encode_header(FileHeader{.flags = 0, .created = 1714564800}, header);
    REQUIRE(header.size() == header_size);
    auto good = decode_header(header);
    REQUIRE(good.has_value());
    CHECK(good->version == format_version);
    CHECK(good->created == 1714564800);

    CHECK(describe(decode_header("").error()) == "empty file (no snapshot header)");
    CHECK(describe(decode_header("PK\x03\x04 a zip file, not a snapshot").error()) ==
          "not a cachet snapshot (bad magic)");
    CHECK(decode_header("CACH").error().code == FormatErrc::truncated_header);
    CHECK(describe(decode_header(header.substr(0, 20)).error()) ==
          "truncated header (needs 32 bytes, 20 left)");

    std::string future = header;
    store_le<std::uint32_t>(future.data() + 8, 3);
    CHECK(describe(decode_header(future).error()) ==
          "unsupported snapshot version 3 (this cachet reads version 1)");

    std::string damaged = header;
    damaged[17] ^= 1;
    CHECK(decode_header(damaged).error().code == FormatErrc::bad_header_checksum);
}

TEST_CASE("random damage to a file never reads out of bounds: every error names an offset in it") {
    std::vector<std::uint64_t> offsets;
    const std::string file = snapshot_bytes(some_exchanges(6), &offsets);
    std::mt19937_64 random(42);
    for (int round = 0; round < 3000; ++round) {
        std::string damaged = file;
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int k = 0; k < edits; ++k) {
            damaged[random() % damaged.size()] = static_cast<char>(random());
        }
        damaged.resize(random() % 8 == 0 ? random() % damaged.size() : damaged.size());
        // Copied to memory of its exact size, so ASan sees a read past the end.
        const std::vector<char> exact(damaged.begin(), damaged.end());
        const std::string_view bytes(exact.data(), exact.size());
        if (!decode_header(bytes)) continue;
        std::uint64_t offset = header_size;
        while (offset < bytes.size()) {
            auto decoded = decode(bytes, offset);
            if (!decoded) {
                CHECK(decoded.error().offset == offset);
                break;
            }
            CHECK(decoded->next_offset > offset);
            CHECK(decoded->next_offset <= bytes.size());
            offset = decoded->next_offset;
        }
    }
}
