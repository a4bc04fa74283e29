// `cachet snapshot ls|show|verify|merge` on the real binary: snapshots made with the
// library's writer (the one piece of cachet this binary links, src/snapshot/meson.build),
// then read by the command, its output and exit status checked.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/cachet.hpp"
#include "snapshot/writer.hpp"

namespace cachet::integration {
namespace {

namespace snap = cachet::snapshot;

class SnapshotDir {
public:
    SnapshotDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "cachet-snapshot-XXXXXX");
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~SnapshotDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string file(const char* name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

snap::Record exchange(std::string path, std::uint16_t status, std::string body) {
    snap::Record r;
    r.kind = snap::RecordKind::exchange;
    r.key =
        "GET\x1f"
        "api.test\x1f" +
        path;
    r.method = "GET";
    r.url = "api.test" + path;
    r.status = status;
    r.head = "HTTP/1.1 " + std::to_string(status) + " OK\r\nContent-Type: text/plain\r\n";
    r.body = std::move(body);
    r.latency_us = 12500;
    r.response_time = 1714564800;
    return r;
}

// Three records, two under one key (two answers recorded for /a), one with a binary body.
std::vector<snap::Record> sample_records() {
    std::vector<snap::Record> records = {
        exchange("/a", 200, "first answer\n"),
        exchange("/b.png", 200, std::string("\x89PNG\r\n\x1a\n\0\0", 10)),
        exchange("/a", 503, "second answer\n")};
    records[2].request_body = "{\"retry\": true}";
    return records;
}

void write_snapshot(const std::string& path, const std::vector<snap::Record>& records) {
    auto writer = snap::SnapshotWriter::create(path);
    REQUIRE_MESSAGE(writer.has_value(), writer.error().message);
    for (const auto& record : records) REQUIRE(writer->append(record).has_value());
    auto committed = writer->commit();
    REQUIRE_MESSAGE(committed.has_value(), committed.error().message);
}

RunResult snapshot_command(std::vector<std::string> args) {
    args.insert(args.begin(), {cachet_binary(), "snapshot"});
    return run_to_exit(std::move(args), 20s);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

int exit_code(const RunResult& run) { return run.status.exited ? run.status.code : -1; }

}  // namespace

TEST_CASE("snapshot ls lists each key once, in file order, with its record count") {
    SnapshotDir dir;
    write_snapshot(dir.file("a.snap"), sample_records());
    const RunResult run = snapshot_command({"ls", dir.file("a.snap")});
    CHECK_MESSAGE(exit_code(run) == 0, run.status.describe() << " " << run.err);
    std::istringstream lines(run.out);
    std::string heading, first, second, summary, extra;
    std::getline(lines, heading);
    std::getline(lines, first);
    std::getline(lines, second);
    std::getline(lines, summary);
    CHECK_FALSE(std::getline(lines, extra));
    CHECK(heading.rfind("FIRST  METHOD  STATUS  BODY  COUNT  URL", 0) == 0);
    CHECK(first.rfind("0      GET     200     13    2      api.test/a  ", 0) == 0);
    CHECK(contains(first, "GET\\x1fapi.test\\x1f/a"));
    CHECK(second.rfind("1      GET     200     10    1      api.test/b.png", 0) == 0);
    CHECK(summary.rfind("3 records, 2 keys, ", 0) == 0);
    CHECK(contains(summary,
                   std::to_string(std::filesystem::file_size(dir.file("a.snap"))) + " bytes"));
}

TEST_CASE("snapshot show prints one record in full, by index or by key as ls shows it") {
    SnapshotDir dir;
    write_snapshot(dir.file("a.snap"), sample_records());

    const RunResult by_index = snapshot_command({"show", dir.file("a.snap"), "2"});
    CHECK_MESSAGE(exit_code(by_index) == 0, by_index.err);
    CHECK(contains(by_index.out, "record 2 of 3: exchange"));
    CHECK(contains(by_index.out, "GET\\x1fapi.test\\x1f/a\n"));
    CHECK(contains(by_index.out, "12.500 ms"));
    CHECK(contains(by_index.out, "2024-05-01 12:00:00 UTC"));
    CHECK(contains(by_index.out, "other records, same key:  0\n"));
    CHECK(contains(by_index.out, "request body (15 bytes, text):\n{\"retry\": true}\n"));
    CHECK(contains(by_index.out, "HTTP/1.1 503 OK\nContent-Type: text/plain\n"));
    CHECK(contains(by_index.out, "response body (14 bytes, text):\nsecond answer\n"));

    const RunResult by_key =
        snapshot_command({"show", dir.file("a.snap"), "GET\\x1fapi.test\\x1f/b.png"});
    CHECK_MESSAGE(exit_code(by_key) == 0, by_key.err);
    CHECK(contains(by_key.out, "record 1 of 3"));
    CHECK(contains(by_key.out,
                   "response body (10 bytes, binary; the first 10):\n"
                   "00000000  89 50 4e 47 0d 0a 1a 0a 00 00"));

    const RunResult missing = snapshot_command({"show", dir.file("a.snap"), "7"});
    CHECK(exit_code(missing) == 1);
    CHECK(contains(missing.err, "has no record 7 (3 records)"));
}

TEST_CASE("snapshot verify says ok, or names the bad record's offset and exits 1") {
    SnapshotDir dir;
    write_snapshot(dir.file("a.snap"), sample_records());
    const auto size = std::filesystem::file_size(dir.file("a.snap"));
    const RunResult good = snapshot_command({"verify", dir.file("a.snap")});
    CHECK_MESSAGE(exit_code(good) == 0, good.err);
    CHECK(good.out == "ok: 3 records, " + std::to_string(size) + " bytes\n");
    CHECK(good.err.empty());  // stderr is a pipe: no progress bar

    // The last byte is the third record's body: flip it in a copy.
    std::filesystem::copy_file(dir.file("a.snap"), dir.file("bad.snap"));
    {
        std::fstream file(dir.file("bad.snap"), std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(size - 1));
        file.put('!');
    }
    const RunResult bad = snapshot_command({"verify", dir.file("bad.snap")});
    CHECK(exit_code(bad) == 1);
    CHECK(contains(bad.err, "bad.snap: checksum mismatch at offset "));
    CHECK(contains(bad.err, "(2 valid records before it)"));
    CHECK(bad.out.empty());

    std::ofstream(dir.file("text.snap")) << "hello\n";
    const RunResult not_snapshot = snapshot_command({"verify", dir.file("text.snap")});
    CHECK(exit_code(not_snapshot) == 1);
    CHECK(contains(not_snapshot.err, "not a cachet snapshot (bad magic)"));
}

TEST_CASE("snapshot merge writes every record of its inputs in order, and refuses a corrupt one") {
    SnapshotDir dir;
    write_snapshot(dir.file("a.snap"), sample_records());
    write_snapshot(dir.file("b.snap"), {exchange("/c", 404, "none\n")});
    const RunResult merged =
        snapshot_command({"merge", dir.file("out.snap"), dir.file("a.snap"), dir.file("b.snap")});
    CHECK_MESSAGE(exit_code(merged) == 0, merged.err);
    CHECK(contains(merged.out, "merged 2 files: 4 records"));
    const RunResult listed = snapshot_command({"ls", dir.file("out.snap")});
    CHECK(contains(listed.out, "3      GET     404     5     1      api.test/c"));
    CHECK(contains(listed.out, "4 records, 3 keys"));

    std::ofstream(dir.file("empty.snap")).flush();
    const RunResult refused = snapshot_command(
        {"merge", dir.file("out2.snap"), dir.file("a.snap"), dir.file("empty.snap")});
    CHECK(exit_code(refused) == 1);
    CHECK(contains(refused.err, "empty file (no snapshot header)"));
    CHECK_FALSE(std::filesystem::exists(dir.file("out2.snap")));
}

TEST_CASE("snapshot with missing operands prints one usage line and exits 2") {
    const RunResult run = snapshot_command({"show", "only-a-path.snap"});
    CHECK(exit_code(run) == 2);
    CHECK(run.err.rfind("usage: cachet snapshot ls PATH | show PATH KEY|INDEX", 0) == 0);
    CHECK(run.err.find('\n') == run.err.size() - 1);
    CHECK(run.out.empty());
}

}  // namespace cachet::integration
