#pragma once
// What the snapshot tests share: a temporary directory, records with every field set, and
// whole files made in memory.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "snapshot/format.hpp"
#include "snapshot/reader.hpp"
#include "snapshot/record.hpp"
#include "snapshot/record_copy.hpp"

namespace cachet::snapshot::testing {

// A mkdtemp directory under /tmp, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = "/tmp/cachet-snapshot-test-XXXXXX";
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    // The names in the directory, sorted.
    std::vector<std::string> names() const {
        std::vector<std::string> found;
        for (const auto& item : std::filesystem::directory_iterator(path_)) {
            found.push_back(item.path().filename().string());
        }
        std::sort(found.begin(), found.end());
        return found;
    }

private:
    std::filesystem::path path_;
};

inline void write_file(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// An exchange with every field set, bytes that are not text included; `n` varies it.
inline Record exchange_record(int n) {
    Record r;
    r.kind = RecordKind::exchange;
    r.key =
        "GET\x1f"
        "api.example.com\x1f/v1/item/" +
        std::to_string(n);
    r.method = n % 2 == 0 ? "GET" : "POST";
    r.url = "api.example.com/v1/item/" + std::to_string(n) + "?q=1";
    r.request_body = n % 2 == 0 ? "" : std::string("{\"n\":") + std::to_string(n) + "}";
    r.status = static_cast<std::uint16_t>(200 + n % 5);
    r.head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
    r.body = std::string("body\0\x01\xff\x1f", 8) + std::string(static_cast<std::size_t>(n), 'x');
    r.latency_us = 1234 + static_cast<std::uint32_t>(n);
    r.response_time = 1714564800 + n;
    return r;
}

// A stored entry with every field away from its default, negative times included.
inline Record entry_record() {
    Record r;
    r.kind = RecordKind::entry;
    r.key =
        "GET\x1fh\x1f/a\x1e"
        "accept-encoding=gzip";
    r.method = "GET";
    r.url = "h/a";
    r.status = 206;
    r.head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-3/10\r\n";
    r.body = std::string("\x00\x01\x02\x03", 4);
    r.response_time = -5;
    r.initial_age = 7;
    r.lifetime = 3600;
    r.keep_until = 1714568400;
    r.stale_while_revalidate = 30;
    r.stale_if_error = 86400;
    r.must_revalidate = true;
    r.has_validators = true;
    r.vary_marker = true;
    return r;
}

inline void check_same(const Record& expected, const RecordView& actual) {
    CHECK(expected.kind == actual.kind);
    CHECK(expected.key == actual.key);
    CHECK(expected.method == actual.method);
    CHECK(expected.url == actual.url);
    CHECK(expected.request_body == actual.request_body);
    CHECK(expected.status == actual.status);
    CHECK(expected.head == actual.head);
    CHECK(expected.body == actual.body);
    CHECK(expected.latency_us == actual.latency_us);
    CHECK(expected.response_time == actual.response_time);
    CHECK(expected.initial_age == actual.initial_age);
    CHECK(expected.lifetime == actual.lifetime);
    CHECK(expected.keep_until == actual.keep_until);
    CHECK(expected.stale_while_revalidate == actual.stale_while_revalidate);
    CHECK(expected.stale_if_error == actual.stale_if_error);
    CHECK(expected.must_revalidate == actual.must_revalidate);
    CHECK(expected.has_validators == actual.has_validators);
    CHECK(expected.vary_marker == actual.vary_marker);
}

// A whole snapshot in memory; `offsets` gets where each record starts.
inline std::string snapshot_bytes(const std::vector<Record>& records,
                                  std::vector<std::uint64_t>* offsets = nullptr) {
    std::string file;
    encode_header(FileHeader{.created = 1714564800}, file);
    for (const Record& record : records) {
        if (offsets != nullptr) offsets->push_back(file.size());
        encode(record, file);
    }
    return file;
}

inline std::vector<Record> some_exchanges(int count) {
    std::vector<Record> records;
    for (int n = 0; n < count; ++n) records.push_back(exchange_record(n));
    return records;
}

// Every record read from `path`, owned.
inline std::vector<Record> read_all(const std::string& path, ReadSummary* summary = nullptr,
                                    ReadOptions options = {}) {
    std::vector<Record> records;
    ReadSummary result = read_snapshot(
        path, options, [&](const RecordView& record) { records.push_back(owned_copy(record)); });
    if (summary != nullptr) *summary = result;
    return records;
}

}  // namespace cachet::snapshot::testing
