#include "server/access_log.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "server/access_log_writer.hpp"

using namespace cachet;
using namespace cachet::server;

namespace {

// A worker's loop and a writer to a file of the test's own, both gone with it.
class Fixture {
public:
    Fixture() {
        static int count = 0;
        dir_ = std::filesystem::temp_directory_path() /
               ("cachet-access-log-worker-test-" + std::to_string(getpid()) + "-" +
                std::to_string(++count));
        std::filesystem::create_directories(dir_);
        path_ = (dir_ / "access.log").string();
        uv_loop_init(&loop);
        auto opened = AccessLogWriter::open(path_, 1);
        REQUIRE(opened.has_value());
        writer = std::move(*opened);
    }
    ~Fixture() {
        uv_run(&loop, UV_RUN_DEFAULT);  // close callbacks
        uv_loop_close(&loop);
        std::filesystem::remove_all(dir_);
    }
    std::string text() const {
        std::ifstream in(path_);
        std::stringstream out;
        out << in.rdbuf();
        return out.str();
    }
    std::size_t lines() const {
        const std::string all = text();
        return static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n'));
    }

    uv_loop_t loop;
    std::unique_ptr<AccessLogWriter> writer;

private:
    std::filesystem::path dir_;
    std::string path_;
};

LoggedRequest request() {
    LoggedRequest r;
    r.client = "127.0.0.1";
    r.method = "GET";
    r.target = "/obj/1024/a";
    r.host = "127.0.0.1:8080";
    return r;
}

// Closes the log's timer and lets the loop run its close callback while the log still exists.
void close(AccessLog& log, uv_loop_t* loop) {
    log.close();
    uv_run(loop, UV_RUN_DEFAULT);
}

constexpr LoggedAnswer kHit = {.status = 200, .body_bytes = 1024};
constexpr auto kPatience = std::chrono::milliseconds(10'000);

}  // namespace

TEST_CASE("a worker's lines are handed to the writer 100 ms after the first, without a flush") {
    Fixture f;
    AccessLog log(&f.loop, *f.writer, 0, AccessLogFormat::json);
    log.write(request(), kHit);
    log.write(request(), kHit);
    const auto started = std::chrono::steady_clock::now();
    uv_run(&f.loop, UV_RUN_DEFAULT);  // returns once the one-shot flush timer has run
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK(waited >= std::chrono::milliseconds(AccessLog::kFlushInterval - 5));
    CHECK(f.writer->stop(kPatience));
    CHECK(f.lines() == 2);
    CHECK(f.text().find("\"target\":\"/obj/1024/a\"") != std::string::npos);
    close(log, &f.loop);
}

TEST_CASE("a full buffer is handed over at once; the partial one waits for its flush") {
    Fixture f;
    AccessLog log(&f.loop, *f.writer, 0, AccessLogFormat::combined);
    // Enough lines for several buffers, none of them flushed by the timer (the loop is idle).
    const std::size_t count = 2000;
    for (std::size_t i = 0; i < count; ++i) log.write(request(), kHit);
    CHECK(f.writer->stop(kPatience));
    const std::size_t written = f.lines();
    CHECK(written > 0);
    CHECK(written < count);  // the last, partial buffer is still the worker's
    CHECK(f.writer->lost() == 0);
    close(log, &f.loop);
}

TEST_CASE("close() hands over what is written and stops the timer; flush() what comes after") {
    Fixture f;
    AccessLog log(&f.loop, *f.writer, 0, AccessLogFormat::json);
    log.write(request(), kHit);
    log.close();
    log.write(request(), kHit);  // a request that ended as its connection closed
    log.flush();
    uv_run(&f.loop, UV_RUN_DEFAULT);  // no timer left: returns at once
    CHECK(f.writer->stop(kPatience));
    CHECK(f.lines() == 2);
}

TEST_CASE("with every buffer of the worker's at the writer, a line is dropped and counted") {
    Fixture f;
    std::vector<AccessLogBuffer*> held;  // stands for a writer that has fallen behind
    while (AccessLogBuffer* buffer = f.writer->take_empty(0)) held.push_back(buffer);
    CHECK(held.size() == AccessLogWriter::kBuffersPerWorker);
    AccessLog log(&f.loop, *f.writer, 0, AccessLogFormat::json);
    log.write(request(), kHit);
    log.write(request(), kHit);
    CHECK(f.writer->lost() == 2);
    f.writer->submit(held.back());  // one comes back: lines are kept again
    held.pop_back();
    log.write(request(), kHit);
    close(log, &f.loop);
    for (AccessLogBuffer* buffer : held) f.writer->submit(buffer);
    CHECK(f.writer->stop(kPatience));
    CHECK(f.lines() == 1);
    CHECK(f.writer->lost() == 2);
}
