#include "server/access_log_writer.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace cachet;
using namespace cachet::server;

namespace {

// A directory of the test's own, removed with it.
class TempDir {
public:
    TempDir() {
        static int count = 0;
        path_ =
            std::filesystem::temp_directory_path() /
            ("cachet-access-log-test-" + std::to_string(getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string file(const char* name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::unique_ptr<AccessLogWriter> open_writer(const std::string& path, unsigned workers) {
    auto writer = AccessLogWriter::open(path, workers);
    REQUIRE_MESSAGE(writer.has_value(), writer.error());
    return std::move(*writer);
}

// Fills one of `worker`'s buffers with `text` (whole lines) and hands it over.
void submit_lines(AccessLogWriter& writer, unsigned worker, std::string_view text,
                  std::uint32_t lines = 1) {
    AccessLogBuffer* buffer = writer.take_empty(worker);
    REQUIRE(buffer != nullptr);
    std::memcpy(buffer->end(), text.data(), text.size());
    buffer->size += text.size();
    buffer->lines += lines;
    writer.submit(buffer);
}

constexpr auto kPatience = std::chrono::milliseconds(10'000);

}  // namespace

TEST_CASE("the writer appends each worker's buffers in the order it handed them") {
    TempDir dir;
    const std::string path = dir.file("access.log");
    std::ofstream(path) << "kept\n";  // appended to, never truncated
    auto writer = open_writer(path, 2);
    submit_lines(*writer, 0, "w0 first\n");
    submit_lines(*writer, 1, "w1 first\n");
    submit_lines(*writer, 0, "w0 second\n");
    CHECK(writer->stop(kPatience));
    const std::string text = read_text(path);
    CHECK(text.rfind("kept\n", 0) == 0);
    CHECK(text.find("w0 first\n") < text.find("w0 second\n"));
    CHECK(text.find("w1 first\n") != std::string::npos);
    CHECK(text.size() == 5 + 9 + 9 + 10);
    CHECK(writer->lost() == 0);
}

TEST_CASE("a worker has at most kBuffersPerWorker buffers; past that it must drop") {
    TempDir dir;
    auto writer = open_writer(dir.file("access.log"), 2);
    std::vector<AccessLogBuffer*> held;
    for (unsigned i = 0; i < AccessLogWriter::kBuffersPerWorker; ++i) {
        AccessLogBuffer* buffer = writer->take_empty(0);
        REQUIRE(buffer != nullptr);
        CHECK(buffer->worker == 0);
        held.push_back(buffer);
    }
    CHECK(writer->take_empty(0) == nullptr);  // every one is out: the worker drops its lines
    CHECK(writer->take_empty(1) != nullptr);  // another worker's are its own
    writer->count_dropped(0);
    writer->count_dropped(0);
    CHECK(writer->lost() == 2);

    // An empty buffer handed back is free again at once; a written one once it is written.
    writer->submit(held.back());
    held.pop_back();
    AccessLogBuffer* again = writer->take_empty(0);
    REQUIRE(again != nullptr);
    std::memcpy(again->end(), "x\n", 2);
    again->size = 2;
    again->lines = 1;
    writer->submit(again);
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    AccessLogBuffer* written = nullptr;
    while (written == nullptr && std::chrono::steady_clock::now() < deadline) {
        written = writer->take_empty(0);
        if (written == nullptr) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    REQUIRE(written != nullptr);
    CHECK(written->size == 0);
    CHECK(written->lines == 0);
    for (AccessLogBuffer* buffer : held) writer->submit(buffer);
    writer->submit(written);
    CHECK(writer->stop(kPatience));
}

TEST_CASE("reopen() follows a file renamed away by rotation with a new one") {
    TempDir dir;
    const std::string path = dir.file("access.log");
    const std::string rotated = dir.file("access.log.1");
    auto writer = open_writer(path, 1);
    submit_lines(*writer, 0, "before\n");
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (read_text(path) != "before\n" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::filesystem::rename(path, rotated);
    writer->reopen();
    submit_lines(*writer, 0, "after\n");
    CHECK(writer->stop(kPatience));
    CHECK(read_text(rotated) == "before\n");
    CHECK(read_text(path) == "after\n");
}

TEST_CASE("a path that cannot be opened is refused, naming it and why") {
    auto writer = AccessLogWriter::open("/nonexistent-dir/access.log", 1);
    REQUIRE_FALSE(writer.has_value());
    CHECK(writer.error() ==
          "--access-log: cannot open \"/nonexistent-dir/access.log\": No such file or directory");
}

TEST_CASE("lines that cannot be written are counted as lost") {
    // /dev/full refuses every write with ENOSPC.
    if (!std::filesystem::exists("/dev/full")) return;
    auto writer = open_writer("/dev/full", 1);
    submit_lines(*writer, 0, "a\nb\nc\n", 3);
    CHECK(writer->stop(kPatience));
    CHECK(writer->lost() == 3);
}
