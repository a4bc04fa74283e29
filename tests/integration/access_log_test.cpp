// --access-log: one line per answered request, in a file, on stdout, as JSON or in the
// combined format, with the cache status and, for what went to the origin, the origin time;
// the file is reopened on SIGHUP (rotation) and every line is written out by SIGTERM's exit.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "harness/process.hpp"
#include "harness/readiness_line.hpp"

namespace cachet::integration {
namespace {

// A directory for one test's log files, removed with it.
class LogDir {
public:
    LogDir() {
        static std::atomic<int> count{0};
        dir_ =
            std::filesystem::temp_directory_path() /
            ("cachet-test-access-log-" + std::to_string(getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(dir_);
    }
    ~LogDir() { std::filesystem::remove_all(dir_); }
    LogDir(const LogDir&) = delete;
    LogDir& operator=(const LogDir&) = delete;
    std::string path(const char* name) const { return (dir_ / name).string(); }

private:
    std::filesystem::path dir_;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return lines_of(text.str());
}

// True once `ready` holds, checked every 10 ms until the deadline.
bool await(const std::function<bool()>& ready, Deadline deadline) {
    while (!ready()) {
        if (deadline.expired()) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

// The file's lines once it has `count` of them (workers hand theirs over within 100 ms).
std::vector<std::string> await_lines(const std::string& path, std::size_t count) {
    std::vector<std::string> lines;
    await([&] { return (lines = read_lines(path)).size() >= count; }, Deadline::after(10s));
    return lines;
}

// One line as JSON; fails the test when it is not.
simdjson::dom::element json_of(simdjson::dom::parser& parser, const std::string& line) {
    simdjson::dom::element doc;
    const auto error = parser.parse(line).get(doc);
    REQUIRE_MESSAGE(error == simdjson::SUCCESS, simdjson::error_message(error) << ": " << line);
    return doc;
}

std::string text(simdjson::dom::element doc, const char* field) {
    std::string_view value;
    return doc[field].get(value) == simdjson::SUCCESS ? std::string(value) : "(none)";
}

std::int64_t number(simdjson::dom::element doc, const char* field) {
    std::int64_t value = -1;
    return doc[field].get(value) == simdjson::SUCCESS ? value : -1;
}

// A field's number in milliseconds, or -1 when the line has none.
double millis(simdjson::dom::element doc, const char* field) {
    double value = -1;
    return doc[field].get(value) == simdjson::SUCCESS ? value : -1;
}

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.rfind(prefix, 0) == 0;
}

// A request cachet refuses after reading its request line (two Host lines), and one it
// cannot read at all (a header line without a colon).
const char* const kTwoHosts = "GET /refused HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
const char* const kUnreadable = "GET /x HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n";

// cachet with its own stdout and stderr captured, for tests that read them or signal it.
class LoggingCachet {
public:
    LoggingCachet(const TestOrigin& origin, std::vector<std::string> flags)
        : process_(command(origin, std::move(flags)), Process::Options{.capture_stderr = true}) {
        auto line = process_.wait_for_line("cachet listening on", Deadline::after(15s));
        REQUIRE_MESSAGE(line, "no readiness line; stderr: " << process_.stderr_text());
        port_ = port_in_readiness_line(*line, "cachet listening on ").value_or(0);
        REQUIRE(port_ > 0);
    }
    int port() const { return port_; }
    Process& process() { return process_; }
    bool logged(std::string_view text) const {
        return process_.stderr_text().find(text) != std::string::npos;
    }

private:
    static std::vector<std::string> command(const TestOrigin& origin,
                                            std::vector<std::string> flags) {
        std::vector<std::string> argv = {cachet_binary(), "--origin", origin.url(), "--listen",
                                         "127.0.0.1:0",   "--admin",  "127.0.0.1:0"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        return argv;
    }

    Process process_;
    int port_ = 0;
};

TEST_CASE("--access-log PATH: a JSON line per answered request, origin time for the miss only") {
    TestOrigin origin;
    LogDir dir;
    const std::string path = dir.path("access.log");
    Cachet cachet(origin.url(), {"--access-log", path, "--workers", "1"});  // one worker: in order
    const std::string target = "/logged?cc=max-age=60&delay_ms=150";
    Reply miss = get(cachet.port(), target, {"User-Agent: tester/1.0", "Referer: http://r.test/"});
    REQUIRE_MESSAGE(miss.ok(), miss.describe());
    Reply hit = get(cachet.port(), target);
    REQUIRE(hit.header("cache-status") == "cachet; hit");
    CHECK(fetch(cachet.port(), kTwoHosts).status == 400);
    CHECK(fetch(cachet.port(), kUnreadable).status == 400);

    const auto lines = await_lines(path, 4);
    REQUIRE_MESSAGE(lines.size() == 4, "lines: " << lines.size());
    simdjson::dom::parser p0, p1, p2, p3;
    const auto first = json_of(p0, lines[0]);
    CHECK(text(first, "client") == "127.0.0.1");
    CHECK(text(first, "method") == "GET");
    CHECK(text(first, "target") == target);
    CHECK(text(first, "protocol") == "HTTP/1.1");
    CHECK(number(first, "status") == 200);
    CHECK(number(first, "bytes") == static_cast<std::int64_t>(miss.body.size()));
    CHECK(text(first, "cache") == "miss");
    // The origin's delay before its head (its timer runs on loop time: a little early).
    CHECK(millis(first, "origin_ms") >= 140);
    CHECK(millis(first, "duration_ms") >= millis(first, "origin_ms"));
    CHECK(text(first, "user_agent") == "tester/1.0");
    CHECK(text(first, "referer") == "http://r.test/");
    CHECK(starts_with(text(first, "time"), "20"));

    const auto second = json_of(p1, lines[1]);
    CHECK(text(second, "cache") == "hit");
    CHECK(number(second, "status") == 200);
    CHECK(number(second, "bytes") == static_cast<std::int64_t>(hit.body.size()));
    CHECK(millis(second, "origin_ms") == -1);  // a hit has none
    CHECK(text(second, "referer") == "(none)");

    const auto refused = json_of(p2, lines[2]);
    CHECK(text(refused, "cache") == "refused");
    CHECK(number(refused, "status") == 400);
    CHECK(text(refused, "target") == "/refused");
    CHECK(millis(refused, "origin_ms") == -1);

    const auto unreadable = json_of(p3, lines[3]);
    CHECK(text(unreadable, "cache") == "refused");
    CHECK(number(unreadable, "status") == 400);
    CHECK(text(unreadable, "method") == "(none)");  // its request line was never read
}

TEST_CASE("--access-log-format combined: Apache's combined line, then cache, origin, duration") {
    TestOrigin origin;
    LogDir dir;
    const std::string path = dir.path("access.log");
    Cachet cachet(origin.url(),
                  {"--access-log", path, "--access-log-format", "combined", "--workers", "1"});
    REQUIRE(get(cachet.port(), "/c?cc=max-age=60", {"User-Agent: tester/1.0"}).ok());
    REQUIRE(get(cachet.port(), "/c?cc=max-age=60", {"Referer: http://r.test/"}).ok());
    CHECK(fetch(cachet.port(), kUnreadable).status == 400);

    const auto lines = await_lines(path, 3);
    REQUIRE(lines.size() == 3);
    CHECK(starts_with(lines[0], "127.0.0.1 - - ["));
    CHECK(lines[0].find(" +0000] \"GET /c?cc=max-age=60 HTTP/1.1\" 200 ") != std::string::npos);
    CHECK(lines[0].find(" \"-\" \"tester/1.0\" miss ") != std::string::npos);
    CHECK(lines[1].find(" \"http://r.test/\" \"-\" hit - ") != std::string::npos);
    CHECK(lines[2].find("] \"-\" 400 ") != std::string::npos);
    CHECK(lines[2].find(" refused - ") != std::string::npos);
}

TEST_CASE("a client's bytes cannot break a line, in either format") {
    TestOrigin origin;
    LogDir dir;
    const std::string json_path = dir.path("json.log");
    const std::string combined_path = dir.path("combined.log");
    Cachet json_cachet(origin.url(), {"--access-log", json_path, "--workers", "1"});
    Cachet combined_cachet(origin.url(), {"--access-log", combined_path, "--access-log-format",
                                          "combined", "--workers", "1"});
    // Quotes, a backslash, a tab and bytes that are not UTF-8, all valid in a field value.
    const std::string agent = "a \"quoted\"\\ \t\xff\xfe agent";
    for (int port : {json_cachet.port(), combined_cachet.port()}) {
        REQUIRE(get(port, "/bytes", {"User-Agent: " + agent, "Referer: \"\" x"}).ok());
    }
    const auto json_lines = await_lines(json_path, 1);
    REQUIRE(json_lines.size() == 1);
    simdjson::dom::parser parser;
    const auto line = json_of(parser, json_lines[0]);  // valid JSON, valid UTF-8
    CHECK(text(line, "user_agent") == "a \"quoted\"\\ \t\u00ff\u00fe agent");
    CHECK(text(line, "referer") == "\"\" x");

    const auto combined_lines = await_lines(combined_path, 1);
    REQUIRE(combined_lines.size() == 1);
    CHECK(combined_lines[0].find(" \"\\x22\\x22 x\" \"a \\x22quoted\\x22\\x5C \\x09\\xFF\\xFE "
                                 "agent\" miss ") != std::string::npos);
}

TEST_CASE("--access-log stdout writes the lines after the readiness line") {
    TestOrigin origin;
    LoggingCachet cachet(origin, {"--access-log", "stdout", "--workers", "1"});
    REQUIRE(get(cachet.port(), "/out?cc=max-age=60").ok());
    REQUIRE(get(cachet.port(), "/out?cc=max-age=60").ok());
    auto line = cachet.process().wait_for_line("{\"time\":", Deadline::after(10s));
    REQUIRE(line);
    CHECK(line->find("\"target\":\"/out?cc=max-age=60\"") != std::string::npos);
    std::vector<std::string> out;
    REQUIRE(await([&] { return (out = lines_of(cachet.process().stdout_text())).size() >= 3; },
                  Deadline::after(10s)));
    CHECK(out.size() == 3);
    CHECK(starts_with(out[0], "cachet listening on"));
    CHECK(out[1].find("\"cache\":\"miss\"") != std::string::npos);
    CHECK(out[2].find("\"cache\":\"hit\"") != std::string::npos);
    CHECK(cachet.process().stop().clean());
}

TEST_CASE("SIGHUP reopens the file: a log renamed away is followed by a new one") {
    TestOrigin origin;
    LogDir dir;
    const std::string path = dir.path("access.log");
    const std::string rotated = dir.path("access.log.1");
    LoggingCachet cachet(origin, {"--access-log", path, "--workers", "2"});
    REQUIRE(get(cachet.port(), "/before").ok());
    REQUIRE(await_lines(path, 1).size() == 1);

    std::filesystem::rename(path, rotated);  // what logrotate does, then it signals
    REQUIRE(::kill(cachet.process().pid(), SIGHUP) == 0);
    REQUIRE_MESSAGE(await([&] { return cachet.logged("\"msg\":\"access log reopened\""); },
                          Deadline::after(10s)),
                    cachet.process().stderr_text());
    REQUIRE(get(cachet.port(), "/after").ok());
    const auto after = await_lines(path, 1);
    REQUIRE(after.size() == 1);
    CHECK(after[0].find("\"target\":\"/after\"") != std::string::npos);
    const auto before = read_lines(rotated);
    REQUIRE(before.size() == 1);
    CHECK(before[0].find("\"target\":\"/before\"") != std::string::npos);
    CHECK(cachet.process().stop().clean());
}

TEST_CASE("SIGTERM writes out every line, of requests answered before it and during the drain") {
    TestOrigin origin;
    LogDir dir;
    const std::string path = dir.path("access.log");
    LoggingCachet cachet(origin, {"--access-log", path, "--workers", "2"});
    Deadline deadline = Deadline::after(15s);
    HttpConnection slow(cachet.port(), deadline);
    REQUIRE(slow.connected());
    REQUIRE(slow.send(http_request("GET", "/draining?delay_ms=400"), deadline));
    REQUIRE(await([&] { return origin.requests("/draining") == 1; }, deadline));
    // Answered now, and still in the worker's buffer when the signal comes (< 100 ms).
    for (int i = 0; i < 5; ++i) REQUIRE(get(cachet.port(), "/quick?cc=max-age=60").ok());
    REQUIRE(::kill(cachet.process().pid(), SIGTERM) == 0);
    Reply drained = slow.read_response(deadline);
    REQUIRE_MESSAGE(drained.ok(), drained.describe());
    auto status = cachet.process().wait_exit(deadline);
    REQUIRE(status);
    CHECK_MESSAGE(status->clean(), status->describe());
    const auto lines = read_lines(path);
    CHECK(lines.size() == 6);
    std::size_t drained_lines = 0;
    for (const auto& line : lines) drained_lines += line.find("/draining") != std::string::npos;
    CHECK(drained_lines == 1);
}

// A FIFO as the access log, with a reader that reads only when asked: a disk that stops.
class StalledLog {
public:
    explicit StalledLog(const std::string& path) {
        REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
        fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);  // cachet's open then succeeds
        REQUIRE(fd_ >= 0);
    }
    ~StalledLog() { ::close(fd_); }
    StalledLog(const StalledLog&) = delete;
    StalledLog& operator=(const StalledLog&) = delete;
    // Reads what is there now; the lines so far.
    std::size_t drain() {
        char chunk[65536];
        for (ssize_t n; (n = ::read(fd_, chunk, sizeof chunk)) > 0;) {
            lines_ += static_cast<std::size_t>(std::count(chunk, chunk + n, '\n'));
        }
        return lines_;
    }

private:
    int fd_ = -1;
    std::size_t lines_ = 0;
};

// The largest "lost_total" the log has reported so far.
std::size_t lost_total(const std::string& log) {
    std::size_t total = 0;
    constexpr std::string_view key = "\"lost_total\":";
    for (auto at = log.find(key); at != std::string::npos; at = log.find(key, at + 1)) {
        std::size_t n = 0;
        std::from_chars(log.data() + at + key.size(), log.data() + log.size(), n);
        total = std::max(total, n);
    }
    return total;
}

// Hits with lines of about 3.5 KiB, on one connection (one worker), each answered in time.
void hit_many(int port, int count) {
    const std::string target = "/long?cc=max-age=600&pad=" + std::string(3500, 'p');
    Deadline deadline = Deadline::after(60s);
    HttpConnection client(port, deadline);
    REQUIRE(client.connected());
    for (int i = 0; i < count; ++i) {
        // The writer is blocked: the loop answers anyway, at once.
        Reply reply = client.exchange(http_request("GET", target), Deadline::after(5s));
        REQUIRE_MESSAGE(reply.ok(), i << ": " << reply.describe());
    }
}

TEST_CASE("a writer that falls behind costs lines, counted and logged, never the loop's time") {
    TestOrigin origin;
    LogDir dir;
    const std::string path = dir.path("access.fifo");
    StalledLog log(path);
    LoggingCachet cachet(origin, {"--access-log", path, "--workers", "1"});
    // Far more than a worker's 1 MiB of buffers and the pipe's 64 KiB hold.
    constexpr int kRequests = 1000;
    hit_many(cachet.port(), kRequests);
    // The reader catches up: every line is either read or reported lost.
    std::size_t read = 0;
    std::size_t lost = 0;
    const bool accounted = await(
        [&] {
            read = log.drain();
            lost = lost_total(cachet.process().stderr_text());
            return read + lost == kRequests;
        },
        Deadline::after(20s));
    CHECK_MESSAGE(accounted, "read " << read << ", lost " << lost);
    CHECK(lost > 0);
    CHECK(read > 0);
    CHECK(cachet.logged("\"msg\":\"access log lines lost: the writer is behind or failing\""));
    CHECK(cachet.process().stop().clean());
}

TEST_CASE("SIGTERM with the writer blocked: cachet waits 2 s for it, says so, and exits 0") {
    TestOrigin origin;
    LogDir dir;
    const std::string path = dir.path("access.fifo");
    StalledLog log(path);  // never read
    LoggingCachet cachet(origin, {"--access-log", path, "--workers", "1"});
    hit_many(cachet.port(), 400);
    const auto signalled = Clock::now();
    REQUIRE(::kill(cachet.process().pid(), SIGTERM) == 0);
    auto status = cachet.process().wait_exit(Deadline::after(10s));
    REQUIRE(status);
    CHECK_MESSAGE(status->clean(), status->describe());
    CHECK(ms_between(signalled, Clock::now()) < 5000);
    REQUIRE(cachet.process().wait_drained(Deadline::after(5s)));  // all of stderr read
    CHECK(cachet.logged("\"msg\":\"access log not written out at exit\""));
}

TEST_CASE("an access log path that cannot be opened stops the start, with status 2") {
    TestOrigin origin;
    RunResult run =
        run_to_exit({cachet_binary(), "--origin", origin.url(), "--listen", "127.0.0.1:0",
                     "--admin", "127.0.0.1:0", "--access-log", "/nonexistent-dir/access.log"},
                    10s);
    CHECK(run.status.exited);
    CHECK(run.status.code == 2);
    CHECK(run.err.find("--access-log: cannot open \"/nonexistent-dir/access.log\"") !=
          std::string::npos);
    CHECK(run.out.find("cachet listening") == std::string::npos);
}

}  // namespace
}  // namespace cachet::integration
