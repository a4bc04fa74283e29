// Record and replay (docs/load-test-stand-in.md) on the real binary: a recording against the
// test origin, then a replay with the origin stopped, compared byte for byte; unmatched
// requests, several answers for one key, bodies in the key, latency, forwarding misses, and
// snapshots that must not load.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/cachet.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/metrics.hpp"
#include "harness/origin.hpp"
#include "harness/temp_dir.hpp"

namespace cachet::integration {
namespace {

// The test's directory, holding its snapshot.
struct SnapshotDir : TempDir {
    SnapshotDir() : TempDir("snapshot") {}
    std::string path(const std::string& name = "api.snapshot") const { return TempDir::path(name); }
};

std::vector<std::string> recording_flags(const std::string& snapshot) {
    return {"--mode", "record", "--snapshot", snapshot};
}

std::vector<std::string> replay_flags(const std::string& snapshot,
                                      std::vector<std::string> more = {}) {
    std::vector<std::string> flags{"--mode", "replay", "--snapshot", snapshot};
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
}

Reply post(int port, const std::string& target, const std::string& body) {
    return fetch(port, http_request("POST", target, {"Content-Type: application/json"}, body));
}

// The fields a replay must give back as recorded: all but those cachet writes per answer.
std::vector<std::pair<std::string, std::string>> recorded_fields(const Reply& reply) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& field : reply.headers) {
        if (iequals(field.first, "cache-status") || iequals(field.first, "age") ||
            iequals(field.first, "connection"))
            continue;
        fields.push_back(field);
    }
    return fields;
}

// Records what `requests` get through cachet in record mode, stopping it cleanly.
std::vector<Reply> record(const TestOrigin& origin, const std::string& snapshot,
                          const std::vector<std::string>& targets) {
    Cachet cachet(origin.url(), recording_flags(snapshot));
    std::vector<Reply> replies;
    for (const auto& target : targets) {
        Reply reply = get(cachet.port(), target);
        REQUIRE_MESSAGE(reply.ok(), reply.describe());
        replies.push_back(reply);
    }
    REQUIRE(cachet.stop().clean());
    return replies;
}

TEST_CASE("record and replay: the replay gives back what the origin said, byte for byte") {
    SnapshotDir dir;
    std::vector<Reply> live;
    Reply live_post;
    {
        TestOrigin origin;
        Cachet cachet(origin.url(), recording_flags(dir.path()), {.capture_stderr = true});
        for (const char* target :
             {"/stored?cc=max-age%3D60", "/unstored?cc=no-store", "/big?size=200000&cc=no-store",
              "/chunked?chunked=1&size=5000&cc=no-store", "/status?status=404"}) {
            Reply reply = get(cachet.port(), target);
            REQUIRE_MESSAGE(reply.ok(), reply.describe());
            live.push_back(reply);
        }
        live_post = post(cachet.port(), "/search", R"({"q": "cachet"})");
        REQUIRE(live_post.ok());
        REQUIRE(cachet.stop().clean());
        CHECK(origin.total_requests() == 6);
        // The count is read once the writer thread is done, not while it still writes.
        CHECK(cachet.stderr_text().find(R"("msg":"snapshot written")") != std::string::npos);
        CHECK(cachet.stderr_text().find(R"("records":6)") != std::string::npos);
    }  // the origin is gone: a replay cannot reach it
    Cachet replay("", replay_flags(dir.path()));
    const char* targets[] = {"/stored?cc=max-age%3D60", "/unstored?cc=no-store",
                             "/big?size=200000&cc=no-store",
                             "/chunked?chunked=1&size=5000&cc=no-store", "/status?status=404"};
    for (std::size_t i = 0; i < live.size(); ++i) {
        Reply replayed = get(replay.port(), targets[i]);
        REQUIRE_MESSAGE(replayed.ok(), replayed.describe());
        CHECK(replayed.status == live[i].status);
        CHECK(replayed.body == live[i].body);
        auto expected = recorded_fields(live[i]);
        if (live[i].chunked) {  // a replay knows the length
            std::erase_if(expected,
                          [](const auto& f) { return iequals(f.first, "transfer-encoding"); });
            expected.emplace_back("Content-Length", std::to_string(live[i].body.size()));
        }
        std::sort(expected.begin(), expected.end());
        auto got = recorded_fields(replayed);
        std::sort(got.begin(), got.end());
        std::string text;
        for (const auto& [name, value] : got) text += name + ": " + value + "\n";
        text += "-- recorded:\n";
        for (const auto& [name, value] : expected) text += name + ": " + value + "\n";
        text = std::string(targets[i]) + "\n" + text;
        CHECK_MESSAGE(got == expected, text);
    }
    Reply replayed_post = post(replay.port(), "/search", R"({"q": "cachet"})");
    CHECK(replayed_post.status == live_post.status);
    CHECK(replayed_post.body == live_post.body);
    CHECK(replayed_post.header("X-Origin-Seq") == live_post.header("X-Origin-Seq"));
    // A HEAD is answered from its GET's answer.
    Reply head = fetch(replay.port(), http_request("HEAD", "/unstored?cc=no-store"), 10s, true);
    CHECK(head.status == 200);
    CHECK(head.header("Content-Length") == std::to_string(live[1].body.size()));
    CHECK(sample(get(replay.admin_port(), "/metrics").body,
                 R"(cachet_replay_requests_total{result="answered"})") == "7");
}

TEST_CASE("record and replay: an unmatched request gets a 504 naming its key, and the report") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        record(origin, dir.path(), {"/users/1?cc=no-store", "/users/2?cc=no-store"});
    }
    Cachet replay("", replay_flags(dir.path()));
    Reply miss = get(replay.port(), "/users/3?cc=no-store");
    CHECK(miss.status == 504);
    CHECK(miss.header("Content-Type") == "application/json");
    CHECK(miss.body.find(R"("key": "GET  /users/3?cc=no-store")") != std::string::npos);
    CHECK(miss.body.find(R"("nearest": ["GET  /users/)") != std::string::npos);
    CHECK(get(replay.port(), "/users/3?cc=no-store").status == 504);
    CHECK(post(replay.port(), "/users", "{}").status == 504);
    const std::string metrics = get(replay.admin_port(), "/metrics").body;
    CHECK(sample(metrics, R"(cachet_replay_requests_total{result="unmatched"})") == "3");
    REQUIRE(replay.stop().clean());
    const std::string report = read_file(dir.path() + ".unmatched.json");
    CHECK(report.find(R"("unmatched": 3, "distinct": 2)") != std::string::npos);
    CHECK(report.find(R"("url": "127.0.0.1/users/3?cc=no-store", "count": 2)") !=
          std::string::npos);
}

TEST_CASE("record and replay: the miss status is configurable") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        record(origin, dir.path(), {"/a?cc=no-store"});
    }
    Cachet replay("", replay_flags(dir.path(), {"--replay-miss-status", "404"}));
    CHECK(get(replay.port(), "/b").status == 404);
    CHECK(get(replay.port(), "/a?cc=no-store").status == 200);
}

TEST_CASE("record and replay: several answers for one key come in order, cycling or the last") {
    SnapshotDir dir;
    {
        TestOrigin origin;  // X-Origin-Seq counts the origin's answers: 1, 2, 3
        record(origin, dir.path(), {"/seq?cc=no-store", "/seq?cc=no-store", "/seq?cc=no-store"});
    }
    auto sequence = [&](std::vector<std::string> flags) {
        Cachet replay("", replay_flags(dir.path(), flags));
        std::string seen;
        for (int i = 0; i < 5; ++i) {
            Reply reply = get(replay.port(), "/seq?cc=no-store");
            seen += reply.header("X-Origin-Seq").value_or("?");
        }
        return seen;
    };
    CHECK(sequence({}) == "12312");
    CHECK(sequence({"--replay-order", "last"}) == "12333");
    CHECK(sequence({"--workers", "1"}) == "12312");
}

TEST_CASE("record and replay: the Date is the recorded one, or the time of the answer") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        record(origin, dir.path(),
               {"/dated?cc=no-store&date=Sun,%2006%20Nov%201994%2008:49:37%20GMT"});
    }
    const std::string target = "/dated?cc=no-store&date=Sun,%2006%20Nov%201994%2008:49:37%20GMT";
    {
        Cachet replay("", replay_flags(dir.path()));
        Reply frozen = get(replay.port(), target);
        REQUIRE(frozen.status == 200);
        CHECK(frozen.header("Date") == "Sun, 06 Nov 1994 08:49:37 GMT");
    }
    Cachet replay("", replay_flags(dir.path(), {"--replay-date", "now"}));
    Reply now = get(replay.port(), target);
    REQUIRE(now.status == 200);
    CHECK(now.header_count("Date") == 1);
    CHECK(now.header("Date") != "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(now.header("Date").value_or("").find(" GMT") == 25);
}

TEST_CASE("record and replay: a request's body is part of its key") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        Cachet cachet(origin.url(), recording_flags(dir.path()));
        REQUIRE(post(cachet.port(), "/rpc?echo=1", R"({"a":1})").ok());
        REQUIRE(post(cachet.port(), "/rpc?echo=1", R"({"a":2})").ok());
        REQUIRE(cachet.stop().clean());
    }
    Cachet replay("", replay_flags(dir.path()));
    Reply one = post(replay.port(), "/rpc?echo=1", R"({"a":1})");
    Reply two = post(replay.port(), "/rpc?echo=1", R"({"a":2})");
    REQUIRE(one.status == 200);
    REQUIRE(two.status == 200);
    CHECK(one.header("X-Origin-Seq") == "1");
    CHECK(two.header("X-Origin-Seq") == "2");
    CHECK(post(replay.port(), "/rpc?echo=1", R"({"a":3})").status == 504);
    // A body too large to be keyed is refused at its head.
    Reply big = post(replay.port(), "/rpc", std::string((1u << 20) + 1, 'x'));
    CHECK(big.status == 413);
}

TEST_CASE("record and replay: a fixed latency delays each answer, pipelined ones in order") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        record(origin, dir.path(), {"/slow/1?cc=no-store", "/slow/2?cc=no-store"});
    }
    Cachet replay("", replay_flags(dir.path(), {"--replay-latency", "fixed:150ms"}));
    Reply reply = get(replay.port(), "/slow/1?cc=no-store");
    REQUIRE(reply.status == 200);
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(reply.done_at - reply.sent_at);
    CHECK(took.count() >= 148);
    CHECK(took.count() < 1000);
    // Two pipelined requests: answered in order, each after its own delay.
    HttpConnection connection(replay.port(), Deadline::after(5s));
    REQUIRE(connection.send(
        http_request("GET", "/slow/2?cc=no-store") + http_request("GET", "/slow/1?cc=no-store"),
        Deadline::after(5s)));
    Reply first = connection.read_response(Deadline::after(5s));
    Reply second = connection.read_response(Deadline::after(5s));
    CHECK(first.body.find("/slow/2") != std::string::npos);
    CHECK(second.body.find("/slow/1") != std::string::npos);
    const auto between =
        std::chrono::duration_cast<std::chrono::milliseconds>(second.done_at - first.done_at);
    CHECK(between.count() >= 140);
    // The scale multiplies it.
    Cachet faster("", replay_flags(dir.path(), {"--replay-latency", "fixed:400ms",
                                                "--replay-latency-scale", "0.25"}));
    Reply scaled = get(faster.port(), "/slow/1?cc=no-store");
    const auto scaled_took =
        std::chrono::duration_cast<std::chrono::milliseconds>(scaled.done_at - scaled.sent_at);
    CHECK(scaled_took.count() >= 98);
    CHECK(scaled_took.count() < 350);
}

TEST_CASE("record and replay: a route's replay_latency overrides --replay-latency") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        record(origin, dir.path(), {"/fast/a?cc=no-store", "/slow/a?cc=no-store"});
    }
    ConfigFile file(
        R"({"routes": [{"match": {"path_prefix": "/slow/"}, "replay_latency": "fixed:300ms"}]})");
    Cachet replay("", replay_flags(dir.path(), {"--config", file.path()}));
    auto took = [&](const std::string& target) {
        Reply reply = get(replay.port(), target);
        REQUIRE(reply.status == 200);
        return std::chrono::duration_cast<std::chrono::milliseconds>(reply.done_at - reply.sent_at)
            .count();
    };
    CHECK(took("/fast/a?cc=no-store") < 150);
    CHECK(took("/slow/a?cc=no-store") >= 298);
}

TEST_CASE("record and replay: drawn latencies repeat with the seed") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        record(origin, dir.path(), {"/drawn?cc=no-store"});
    }
    auto delays = [&](const std::string& seed) {
        Cachet replay("", replay_flags(dir.path(), {"--replay-latency", "uniform:0ms..300ms",
                                                    "--seed", seed, "--workers", "1"}));
        std::vector<long> out;
        for (int i = 0; i < 6; ++i) {
            Reply reply = get(replay.port(), "/drawn?cc=no-store");
            REQUIRE(reply.status == 200);
            out.push_back(static_cast<long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(reply.done_at - reply.sent_at)
                    .count()));
        }
        return out;
    };
    const auto a = delays("7");
    const auto b = delays("7");
    const auto c = delays("8");
    long same = 0;
    long other = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        same = std::max(same, std::abs(a[i] - b[i]));
        other = std::max(other, std::abs(a[i] - c[i]));
        CHECK(a[i] <= 400);
    }
    CHECK_MESSAGE(same < 60, "the same seed drew other delays");
    CHECK_MESSAGE(other > 60, "another seed drew the same delays");
}

TEST_CASE("record and replay: --replay-miss forward asks the origin and appends to the snapshot") {
    SnapshotDir dir;
    TestOrigin origin;
    record(origin, dir.path(), {"/known?cc=no-store"});
    {
        Cachet replay(origin.url(), replay_flags(dir.path(), {"--replay-miss", "forward"}));
        CHECK(get(replay.port(), "/known?cc=no-store").status == 200);
        CHECK(get(replay.port(), "/new?cc=no-store").status == 200);
        CHECK(origin.requests("/new") == 1);
        CHECK(origin.requests("/known") == 1);  // the recording's, not the replay's
        REQUIRE(replay.stop().clean());
    }
    origin.stop();
    Cachet replay("", replay_flags(dir.path()));
    CHECK(get(replay.port(), "/known?cc=no-store").status == 200);
    CHECK(get(replay.port(), "/new?cc=no-store").status == 200);
}

TEST_CASE("record and replay: a truncated response is never recorded") {
    SnapshotDir dir;
    {
        TestOrigin origin;
        Cachet cachet(origin.url(), recording_flags(dir.path()));
        Reply cut = get(cachet.port(), "/cut?size=10000&truncate=100&cc=no-store");
        CHECK_FALSE(cut.ok());
        CHECK(get(cachet.port(), "/whole?cc=no-store").ok());
        const std::string metrics = get(cachet.admin_port(), "/metrics").body;
        CHECK(sample(metrics, "cachet_recorded_exchanges_total") == "1");
        CHECK(sample(metrics, "cachet_record_skipped_total") == "1");
        REQUIRE(cachet.stop().clean());
    }
    Cachet replay("", replay_flags(dir.path()));
    CHECK(get(replay.port(), "/cut?size=10000&truncate=100&cc=no-store").status == 504);
    CHECK(get(replay.port(), "/whole?cc=no-store").status == 200);
}

TEST_CASE("record and replay: a snapshot that is missing or corrupt stops the replay's start") {
    SnapshotDir dir;
    RunResult missing = run_to_exit(
        {cachet_binary(), "--mode", "replay", "--snapshot", dir.path("none"), "--admin", "off"},
        10s);
    CHECK(missing.status.code == 1);
    CHECK(missing.err.find("--snapshot: ") != std::string::npos);
    {
        TestOrigin origin;
        record(origin, dir.path(), {"/a?cc=no-store", "/b?cc=no-store"});
    }
    std::string bytes = read_file(dir.path());
    bytes.resize(bytes.size() - 5);
    write_file(dir.path("cut"), bytes);
    RunResult cut = run_to_exit(
        {cachet_binary(), "--mode", "replay", "--snapshot", dir.path("cut"), "--admin", "off"},
        10s);
    CHECK(cut.status.code == 1);
    CHECK_MESSAGE(cut.err.find("offset") != std::string::npos, cut.err);
    RunResult no_snapshot = run_to_exit({cachet_binary(), "--mode", "replay"}, 10s);
    CHECK(no_snapshot.status.code == 2);
    CHECK(no_snapshot.err.find("--snapshot: required") != std::string::npos);
}

}  // namespace
}  // namespace cachet::integration
