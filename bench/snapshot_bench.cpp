// Snapshot micro-benchmark: how fast a snapshot is saved (SnapshotWriter: append every
// record, then commit: fsync, rename, directory fsync) and loaded (read_snapshot with a
// callback that copies each body into memory of its own, as loading into the store does).
//
//   ninja -C build bench/cachet-snapshot-bench
//   ./build/bench/cachet-snapshot-bench [--records 1048576] [--size 1024] [--dir /tmp]
//       [--rounds 1] [--cold] [--keep]
//
// The default is 2^20 records of 1 KiB bodies (1 GiB of bodies, a 1.22 GiB file).
// The file goes into a new directory under --dir, removed at the end unless --keep.
// --cold drops the file's pages from the page cache before loading (POSIX_FADV_DONTNEED),
// so the load reads the disk; otherwise it reads what the save left in the page cache.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/reader.hpp"
#include "snapshot/writer.hpp"

using namespace cachet::snapshot;

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::uint64_t records = 1u << 20;
    std::uint64_t size = 1024;  // bytes of each body
    std::string dir = std::filesystem::temp_directory_path().string();
    bool cold = false;
    bool keep = false;
    std::uint64_t rounds = 1;  // saves and loads, each round a new file
};

bool parse_number(std::string_view text, std::uint64_t& out) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc{} && end == text.data() + text.size();
}

bool parse_options(int argc, char** argv, Options& options) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--records" && has_value && parse_number(argv[i + 1], options.records)) {
            ++i;
        } else if (arg == "--size" && has_value && parse_number(argv[i + 1], options.size)) {
            ++i;
        } else if (arg == "--rounds" && has_value && parse_number(argv[i + 1], options.rounds)) {
            ++i;
        } else if (arg == "--dir" && has_value) {
            options.dir = argv[++i];
        } else if (arg == "--cold") {
            options.cold = true;
        } else if (arg == "--keep") {
            options.keep = true;
        } else {
            std::fprintf(stderr,
                         "usage: cachet-snapshot-bench [--records N] [--size BYTES] [--dir DIR] "
                         "[--rounds N] [--cold] [--keep]\n");
            return false;
        }
    }
    return true;
}

// When a phase started: wall clock, and this process's CPU time (user and system), which
// says what the phase costs when other work shares the cores.
struct Start {
    Clock::time_point wall = Clock::now();
    double cpu = cpu_seconds();

    static double cpu_seconds() {
        rusage usage{};
        ::getrusage(RUSAGE_SELF, &usage);
        auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
        return seconds(usage.ru_utime) + seconds(usage.ru_stime);
    }
};

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void report(const char* what, std::uint64_t records, std::uint64_t bytes, const Start& start) {
    const double wall = seconds_since(start.wall);
    std::printf("%-5s %llu records, %.3f GiB in %.3f s (%.3f s of CPU): %.2f GB/s\n", what,
                static_cast<unsigned long long>(records), bytes / double(1u << 30), wall,
                Start::cpu_seconds() - start.cpu, bytes / wall / 1e9);
}

// URLs and keys like the store's ("GET␟bench.example␟/item/12345"), built before the
// clock starts.
struct Names {
    std::vector<std::string> urls;
    std::vector<std::string> keys;
};

Names make_names(std::uint64_t count) {
    Names names;
    names.urls.reserve(count);
    names.keys.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        names.urls.push_back("bench.example/item/" + std::to_string(i));
        names.keys.push_back(
            "GET\x1f"
            "bench.example\x1f/item/" +
            std::to_string(i));
    }
    return names;
}

// Writes the snapshot; false (after a message) when the writer failed.
bool save(const Options& options, const std::string& path, const Names& names) {
    // Bodies are slices of one buffer at moving offsets: different bytes, no per-record setup.
    std::string bodies(options.size + 4096, '\0');
    for (std::size_t i = 0; i < bodies.size(); ++i) bodies[i] = static_cast<char>(i * 131 + 7);
    RecordView record;
    record.kind = RecordKind::entry;
    record.method = "GET";
    record.status = 200;
    record.head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
    record.lifetime = 3600;

    const Start start;
    auto writer = SnapshotWriter::create(path);
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().message.c_str());
        return false;
    }
    for (std::uint64_t i = 0; i < options.records; ++i) {
        record.key = names.keys[i];
        record.url = names.urls[i];
        record.body = std::string_view(bodies).substr(i % 4096, options.size);
        if (auto appended = writer->append(record); !appended) {
            std::fprintf(stderr, "%s\n", appended.error().message.c_str());
            return false;
        }
    }
    const auto commit_start = Clock::now();
    if (auto committed = writer->commit(); !committed) {
        std::fprintf(stderr, "%s\n", committed.error().message.c_str());
        return false;
    }
    report("save", writer->records(), writer->bytes(), start);
    std::printf("      of which commit (fsync, rename, directory fsync): %.3f s\n",
                seconds_since(commit_start));
    return true;
}

void drop_from_page_cache(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

bool load(const std::string& path, std::uint64_t expected_records) {
    std::vector<std::unique_ptr<char[]>> bodies;
    bodies.reserve(expected_records);
    const Start start;
    const ReadSummary summary = read_snapshot(path, ReadOptions{}, [&](const RecordView& r) {
        auto body = std::make_unique_for_overwrite<char[]>(r.body.size());
        std::memcpy(body.get(), r.body.data(), r.body.size());
        bodies.push_back(std::move(body));
    });
    if (!summary.ok()) {
        std::fprintf(stderr, "%s\n", summary.error->message.c_str());
        return false;
    }
    report("load", summary.records, summary.bytes, start);
    return summary.records == expected_records;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse_options(argc, argv, options)) return 2;
    std::string dir =
        (std::filesystem::path(options.dir) / "cachet-snapshot-bench-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) {
        std::perror(dir.c_str());
        return 1;
    }
    const std::string path = dir + "/bench.snap";
    const Names names = make_names(options.records);
    bool ok = true;
    for (std::uint64_t round = 0; ok && round < options.rounds; ++round) {
        ok = save(options, path, names);
        if (ok && options.cold) drop_from_page_cache(path);
        ok = ok && load(path, options.records);
    }
    if (options.keep) {
        std::printf("kept %s\n", path.c_str());
    } else {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    return ok ? 0 : 1;
}
