#include "snapshot/reader.hpp"

#include <doctest/doctest.h>

#include "snapshot/progress.hpp"
#include "snapshot_fixtures.hpp"

using namespace cachet::snapshot;
using namespace cachet::snapshot::testing;

namespace {

struct Delivered {
    std::vector<Record> records;
    ReadSummary summary;
};

Delivered read_bytes(std::string_view file, ReadOptions options = {}) {
    Delivered out;
    out.summary = read_records(file, options, [&](const RecordView& record) {
        out.records.push_back(owned_copy(record));
        return true;
    });
    return out;
}

}  // namespace

TEST_CASE("every record is delivered in file order, with the header and the byte count") {
    const std::vector<Record> records = {exchange_record(0), entry_record(), exchange_record(1)};
    const std::string file = snapshot_bytes(records);
    const Delivered read = read_bytes(file);
    REQUIRE(read.summary.ok());
    REQUIRE(read.records.size() == 3);
    for (std::size_t i = 0; i < records.size(); ++i)
        check_same(records[i], view_of(read.records[i]));
    CHECK(read.summary.records == 3);
    CHECK(read.summary.delivered == 3);
    CHECK(read.summary.bytes == file.size());
    CHECK(read.summary.header.created == 1714564800);
}

TEST_CASE("a header alone is a snapshot of no records") {
    const Delivered read = read_bytes(snapshot_bytes({}));
    CHECK(read.summary.ok());
    CHECK(read.summary.records == 0);
    CHECK(read.summary.bytes == header_size);
}

TEST_CASE("a file cut at any point delivers the whole records before the cut, then the error") {
    std::vector<std::uint64_t> offsets;
    const std::string file = snapshot_bytes(some_exchanges(5), &offsets);
    offsets.push_back(file.size());
    for (std::uint64_t cut = header_size; cut < file.size(); ++cut) {
        const Delivered read = read_bytes(std::string_view(file).substr(0, cut));
        std::size_t whole = 0;
        while (offsets[whole + 1] <= cut) ++whole;
        CAPTURE(cut);
        CHECK(read.records.size() == whole);
        CHECK(read.summary.records == whole);
        CHECK(read.summary.bytes == offsets[whole]);
        if (cut == offsets[whole]) {
            CHECK(read.summary.ok());  // at a record boundary: a shorter, valid snapshot
            continue;
        }
        REQUIRE_FALSE(read.summary.ok());
        REQUIRE(read.summary.error->format.has_value());
        CHECK(read.summary.error->format->code == FormatErrc::truncated_record);
        CHECK(read.summary.error->format->offset == offsets[whole]);
        CHECK(read.summary.error->format->left == cut - offsets[whole]);
    }
}

TEST_CASE("a file cut inside the header is refused before any record") {
    const std::string file = snapshot_bytes(some_exchanges(2));
    for (std::uint64_t cut = 1; cut < header_size; ++cut) {
        const Delivered read = read_bytes(std::string_view(file).substr(0, cut));
        CHECK(read.records.empty());
        CHECK(read.summary.bytes == 0);
        REQUIRE_FALSE(read.summary.ok());
        CHECK(read.summary.error->format->code == FormatErrc::truncated_header);
    }
}

TEST_CASE("a flipped byte in the third record stops the read there, naming its offset") {
    std::vector<std::uint64_t> offsets;
    std::string file = snapshot_bytes(some_exchanges(5), &offsets);
    file[offsets[2] + frame_size + 20] ^= 0x01;
    const Delivered read = read_bytes(file);
    CHECK(read.records.size() == 2);
    CHECK(read.summary.records == 2);
    CHECK(read.summary.bytes == offsets[2]);
    REQUIRE_FALSE(read.summary.ok());
    CHECK(read.summary.error->message ==
          "checksum mismatch at offset " + std::to_string(offsets[2]));
}

TEST_CASE("all_or_nothing delivers nothing from a bad file, and everything from a good one") {
    std::vector<std::uint64_t> offsets;
    std::string file = snapshot_bytes(some_exchanges(5), &offsets);
    const Delivered good = read_bytes(file, ReadOptions{.all_or_nothing = true});
    CHECK(good.summary.ok());
    CHECK(good.records.size() == 5);
    CHECK(good.summary.delivered == 5);

    file[offsets[4] + frame_size + 1] ^= 0x40;
    const Delivered bad = read_bytes(file, ReadOptions{.all_or_nothing = true});
    CHECK(bad.records.empty());
    CHECK(bad.summary.delivered == 0);
    CHECK(bad.summary.records == 4);  // the valid prefix, verified but not delivered
    REQUIRE_FALSE(bad.summary.ok());
    CHECK(bad.summary.error->format->offset == offsets[4]);
}

TEST_CASE("a callback that returns false stops the read without an error") {
    const std::string file = snapshot_bytes(some_exchanges(5));
    int seen = 0;
    const ReadSummary summary =
        read_records(file, {}, [&](const RecordView&) { return ++seen < 2; });
    CHECK(summary.ok());
    CHECK(summary.stopped);
    CHECK(seen == 2);
    CHECK(summary.delivered == 2);
}

TEST_CASE("read_snapshot reads a file; its errors start with the path") {
    TempDir dir;
    const std::string path = dir.file("a.snap");
    std::vector<std::uint64_t> offsets;
    std::string file = snapshot_bytes(some_exchanges(3), &offsets);
    write_file(path, file);

    ReadSummary summary;
    const std::vector<Record> records = read_all(path, &summary);
    CHECK(summary.ok());
    CHECK(records.size() == 3);

    file[offsets[1] + frame_size + 3] ^= 0x02;
    write_file(path, file);
    read_all(path, &summary);
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.error->message ==
          path + ": checksum mismatch at offset " + std::to_string(offsets[1]));
}

TEST_CASE("a missing file says so, and an empty one says it has no header") {
    TempDir dir;
    ReadSummary summary;
    read_all(dir.file("absent.snap"), &summary);
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.error->file_missing());
    CHECK(summary.error->message ==
          "cannot open " + dir.file("absent.snap") + ": No such file or directory");

    write_file(dir.file("empty.snap"), "");
    read_all(dir.file("empty.snap"), &summary);
    REQUIRE_FALSE(summary.ok());
    CHECK_FALSE(summary.error->file_missing());
    CHECK(summary.error->message == dir.file("empty.snap") + ": empty file (no snapshot header)");

    read_all(dir.file(""), &summary);  // the directory itself
    CHECK_FALSE(summary.ok());
}

TEST_CASE("verify_snapshot checks every record and delivers none") {
    TempDir dir;
    std::vector<std::uint64_t> offsets;
    std::string file = snapshot_bytes(some_exchanges(4), &offsets);
    write_file(dir.file("a.snap"), file);
    Progress progress("verifying", nullptr, false, [] { return Progress::Clock::now(); });
    ReadSummary summary = verify_snapshot(dir.file("a.snap"), &progress);
    CHECK(summary.ok());
    CHECK(summary.records == 4);
    CHECK(summary.delivered == 0);
    CHECK(progress.done() == file.size() - header_size);
    CHECK(progress.total() == file.size() - header_size);

    write_file(dir.file("b.snap"), std::string_view(file).substr(0, offsets[3] + 5));
    summary = verify_snapshot(dir.file("b.snap"));
    CHECK(summary.records == 3);
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.error->format->code == FormatErrc::truncated_record);
}
