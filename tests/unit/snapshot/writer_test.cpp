#include "snapshot/writer.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "snapshot/progress.hpp"
#include "snapshot_fixtures.hpp"

using namespace cachet::snapshot;
using namespace cachet::snapshot::testing;

namespace {

void write_snapshot(const std::string& path, const std::vector<Record>& records) {
    auto writer = SnapshotWriter::create(path);
    REQUIRE_MESSAGE(writer.has_value(), writer.error().message);
    for (const Record& record : records) REQUIRE(writer->append(record).has_value());
    auto committed = writer->commit();
    REQUIRE_MESSAGE(committed.has_value(), committed.error().message);
}

std::vector<int> record_numbers(const std::vector<Record>& records) {
    std::vector<int> numbers;
    for (const Record& r : records)
        numbers.push_back(std::stoi(r.url.substr(r.url.rfind('/') + 1)));
    return numbers;
}

ino_t inode_of(const std::string& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_ino;
}

// Files may grow to `bytes` while it lives; SIGXFSZ is ignored so a write past it fails
// with EFBIG instead of ending the test binary.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
        previous_handler_ = ::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        ::signal(SIGXFSZ, previous_handler_);
    }

private:
    rlimit saved_{};
    sighandler_t previous_handler_ = SIG_DFL;
};

}  // namespace

TEST_CASE("a committed snapshot reads back record for record, and its temporary file is gone") {
    TempDir dir;
    std::vector<Record> records = some_exchanges(50);
    records.push_back(entry_record());
    write_snapshot(dir.file("a.snap"), records);
    CHECK(dir.names() == std::vector<std::string>{"a.snap"});

    ReadSummary summary;
    const std::vector<Record> read = read_all(dir.file("a.snap"), &summary);
    REQUIRE(summary.ok());
    REQUIRE(read.size() == records.size());
    for (std::size_t i = 0; i < read.size(); ++i) check_same(records[i], view_of(read[i]));
    CHECK(summary.header.created > 0);
}

TEST_CASE("records larger than the buffer, a 5 MiB body among them, are written whole") {
    TempDir dir;
    std::vector<Record> records = some_exchanges(3);
    records[1].body.assign(5u << 20, '\x7f');
    records.push_back(exchange_record(9));
    records.back().body.assign(SnapshotWriter::buffer_bytes * 5, 'z');  // past the shrink size
    Progress progress("saving", nullptr, false, [] { return Progress::Clock::now(); });
    auto writer = SnapshotWriter::create(dir.file("big.snap"), &progress);
    REQUIRE(writer.has_value());
    for (const Record& record : records) REQUIRE(writer->append(record).has_value());
    REQUIRE(writer->commit().has_value());
    CHECK(progress.done() == writer->bytes());
    CHECK(writer->bytes() == std::filesystem::file_size(dir.file("big.snap")));

    const std::vector<Record> read = read_all(dir.file("big.snap"));
    REQUIRE(read.size() == 4);
    CHECK(read[1].body == records[1].body);
    CHECK(read[3].body.size() == records[3].body.size());
}

TEST_CASE(
    "commit replaces the previous snapshot at once: the old one until then, the new one after") {
    TempDir dir;
    const std::string path = dir.file("store.snap");
    write_snapshot(path, some_exchanges(2));
    const ino_t old_inode = inode_of(path);

    auto writer = SnapshotWriter::create(path);
    REQUIRE(writer.has_value());
    std::vector<Record> newer = {exchange_record(7), exchange_record(8), exchange_record(9)};
    for (const Record& record : newer) REQUIRE(writer->append(record).has_value());
    CHECK(record_numbers(read_all(path)) == std::vector<int>{0, 1});
    CHECK(dir.names().size() == 2);  // the snapshot and the writer's temporary file

    REQUIRE(writer->commit().has_value());
    CHECK(writer->committed());
    CHECK(record_numbers(read_all(path)) == std::vector<int>{7, 8, 9});
    CHECK(inode_of(path) != old_inode);
    CHECK(dir.names() == std::vector<std::string>{"store.snap"});
}

TEST_CASE("a writer dropped before commit leaves the previous snapshot and removes its temp file") {
    TempDir dir;
    const std::string path = dir.file("store.snap");
    write_snapshot(path, some_exchanges(3));
    const std::string before = read_file(path);
    {
        auto writer = SnapshotWriter::create(path);
        REQUIRE(writer.has_value());
        for (int n = 0; n < 20000; ++n) REQUIRE(writer->append(exchange_record(n)).has_value());
        CHECK(std::filesystem::exists(writer->temp_path()));
        CHECK(writer->temp_path().rfind(path + ".tmp-", 0) == 0);
    }
    CHECK(read_file(path) == before);
    CHECK(dir.names() == std::vector<std::string>{"store.snap"});
}

TEST_CASE("a moved writer is the one that commits; the moved-from one removes nothing") {
    TempDir dir;
    auto created = SnapshotWriter::create(dir.file("a.snap"));
    REQUIRE(created.has_value());
    SnapshotWriter writer = std::move(*created);
    REQUIRE(writer.append(exchange_record(1)).has_value());
    REQUIRE(writer.commit().has_value());
    CHECK(read_all(dir.file("a.snap")).size() == 1);
    CHECK_FALSE(writer.append(exchange_record(2)).has_value());  // committed: spent
}

TEST_CASE("a snapshot in a missing directory is an error naming the path and the reason") {
    TempDir dir;
    auto writer = SnapshotWriter::create(dir.file("no-such-dir/a.snap"));
    REQUIRE_FALSE(writer.has_value());
    CHECK(writer.error().sys_errno == ENOENT);
    CHECK(writer.error().message.find(dir.file("no-such-dir/a.snap.tmp-")) != std::string::npos);
    CHECK(writer.error().message.find("No such file or directory") != std::string::npos);
}

TEST_CASE("a write that fails (the file may not grow) is an error; the old snapshot stays") {
    TempDir dir;
    const std::string path = dir.file("store.snap");
    write_snapshot(path, some_exchanges(2));
    const std::string before = read_file(path);

    auto writer = SnapshotWriter::create(path);
    REQUIRE(writer.has_value());
    SnapshotResult<void> result;
    {
        FileSizeLimit limit(1u << 20);
        Record big = exchange_record(1);
        big.body.assign(SnapshotWriter::buffer_bytes, 'b');
        result = writer->append(big);
        if (result) result = writer->commit();
    }
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().sys_errno == EFBIG);
    CHECK(result.error().message.find("cannot write " + path + ".tmp-") == 0);
    CHECK(result.error().message.find("File too large") != std::string::npos);
    CHECK_FALSE(writer->commit().has_value());  // spent: the same error again
    CHECK(read_file(path) == before);
    CHECK(dir.names() == std::vector<std::string>{"store.snap"});
}
