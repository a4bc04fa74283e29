// --persist on the real binary: the store saved on a graceful stop and loaded at start (a hit
// with the origin gone, Age going on), expired entries left out, damaged files reported with
// their offset (the valid prefix, or nothing), and a kill -9 during a save that leaves the
// previous file as it was.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "harness/temp_dir.hpp"

namespace cachet::integration {
namespace {

// The test's directory, holding the store's file.
struct PersistDir : TempDir {
    PersistDir() : TempDir("persist") {}
    std::string path() const { return TempDir::path("store.snapshot"); }
};

std::vector<std::string> persisting(const std::string& path, std::vector<std::string> more = {}) {
    std::vector<std::string> flags{"--persist", path};
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
}

// Two stored entries, saved as cachet stops.
void save_two(const TestOrigin& origin, const std::string& path) {
    Cachet cachet(origin.url(), persisting(path));
    REQUIRE(get(cachet.port(), "/one?cc=max-age%3D300").status == 200);
    REQUIRE(get(cachet.port(), "/two?cc=max-age%3D300").status == 200);
    REQUIRE(cachet.stop().clean());
}

TEST_CASE("persist: a restarted cachet answers from the saved store, its Age going on") {
    PersistDir dir;
    {
        TestOrigin origin;
        Cachet cachet(origin.url(), persisting(dir.path()));
        REQUIRE(get(cachet.port(), "/warm?cc=max-age%3D300").status == 200);
        REQUIRE(cachet.stop().clean());
    }
    std::this_thread::sleep_for(2100ms);  // the origin is gone and time passes
    Cachet restarted("http://127.0.0.1:1", persisting(dir.path()));
    Reply hit = get(restarted.port(), "/warm?cc=max-age%3D300");
    CHECK(hit.status == 200);
    CHECK(hit.header("Cache-Status") == "cachet; hit");
    CHECK(std::stoi(hit.header("Age").value_or("0")) >= 2);
    CHECK(hit.body.find("/warm") != std::string::npos);
}

TEST_CASE("persist: an entry that went stale while cachet was down is not served as fresh") {
    PersistDir dir;
    TestOrigin origin;
    {
        Cachet cachet(origin.url(), persisting(dir.path()));
        REQUIRE(get(cachet.port(), "/short?cc=max-age%3D1").status == 200);
        REQUIRE(get(cachet.port(), "/long?cc=max-age%3D300").status == 200);
        REQUIRE(cachet.stop().clean());
    }
    std::this_thread::sleep_for(2100ms);
    Cachet restarted(origin.url(), persisting(dir.path()), {.capture_stderr = true});
    CHECK(get(restarted.port(), "/short?cc=max-age%3D1").header("Cache-Status") != "cachet; hit");
    CHECK(get(restarted.port(), "/long?cc=max-age%3D300").header("Cache-Status") == "cachet; hit");
    CHECK(origin.requests("/short") == 2);
    CHECK(origin.requests("/long") == 1);
    CHECK(restarted.stderr_text().find(R"("msg":"persisted store loaded")") != std::string::npos);
}

TEST_CASE("persist: a truncated file loads the entries before the damage, or none") {
    PersistDir dir;
    TestOrigin origin;
    save_two(origin, dir.path());
    std::string bytes = read_file(dir.path());
    bytes.resize(bytes.size() - 10);  // the second record is cut
    const std::string cut = (dir.dir() / "cut.snapshot").string();
    const auto hits = [&](std::vector<std::string> flags) {
        write_file(cut, bytes);
        Cachet cachet("http://127.0.0.1:1", persisting(cut, flags), {.capture_stderr = true});
        int hit = 0;
        for (const char* target : {"/one?cc=max-age%3D300", "/two?cc=max-age%3D300"})
            hit += get(cachet.port(), target).status == 200;
        const std::string log = cachet.stderr_text();
        CHECK_MESSAGE(log.find("truncated record at offset") != std::string::npos, log);
        return hit;
    };
    CHECK(hits({}) == 1);
    CHECK(hits({"--persist-partial", "false"}) == 0);
}

TEST_CASE("persist: a flipped byte, a wrong version and an empty file are reported") {
    PersistDir dir;
    TestOrigin origin;
    save_two(origin, dir.path());
    const std::string good = read_file(dir.path());
    const auto log_of = [&](const std::string& bytes) {
        const std::string path = (dir.dir() / "bad.snapshot").string();
        write_file(path, bytes);
        Cachet cachet(origin.url(), persisting(path), {.capture_stderr = true});
        CHECK(get(cachet.port(), "/one?cc=max-age%3D300").status == 200);  // it runs, cold or not
        return cachet.stderr_text();
    };
    std::string flipped = good;
    flipped[flipped.size() - 3] ^= 0x40;  // inside the last record's body
    CHECK(log_of(flipped).find("checksum mismatch at offset") != std::string::npos);
    std::string versioned = good;
    versioned[8] = 9;  // the version follows the 8-byte magic
    CHECK(log_of(versioned).find("unsupported snapshot version 9") != std::string::npos);
    CHECK(log_of("").find("empty file") != std::string::npos);
}

TEST_CASE("persist: kill -9 during a save leaves the previous file intact") {
    PersistDir dir;
    TestOrigin origin;
    save_two(origin, dir.path());
    const std::string previous = read_file(dir.path());
    {
        // A store large enough that its save takes a while: 48 entries of 4 MiB.
        Cachet cachet(origin.url(), persisting(dir.path(), {"--cache-size", "512m"}));
        for (int i = 0; i < 48; ++i) {
            Reply r =
                get(cachet.port(), "/big/" + std::to_string(i) + "?size=4194304&cc=max-age%3D300");
            REQUIRE(r.status == 200);
        }
        REQUIRE(kill(cachet.pid(), SIGTERM) == 0);  // the final save starts
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        bool writing = false;
        while (!writing && std::chrono::steady_clock::now() < deadline) {
            for (const auto& file : std::filesystem::directory_iterator(dir.dir())) {
                if (file.path().filename().string().find(".tmp-") != std::string::npos &&
                    file.file_size() > 0)
                    writing = true;
            }
            if (!writing) std::this_thread::sleep_for(1ms);
        }
        REQUIRE_MESSAGE(writing, "no save was seen under way");
        kill(cachet.pid(), SIGKILL);
        cachet.stop();
    }
    CHECK(read_file(dir.path()) == previous);
    const auto temp_files = [&] {
        int count = 0;
        for (const auto& file : std::filesystem::directory_iterator(dir.dir()))
            count += file.path().filename().string().find(".tmp-") != std::string::npos;
        return count;
    };
    CHECK(temp_files() == 1);  // the killed save's
    Cachet restarted("http://127.0.0.1:1", persisting(dir.path()));
    CHECK(get(restarted.port(), "/one?cc=max-age%3D300").status == 200);
    CHECK(get(restarted.port(), "/two?cc=max-age%3D300").status == 200);
    REQUIRE(restarted.stop().clean());
    CHECK(temp_files() == 0);  // the next start removed the leftover
}

TEST_CASE("persist: --persist-interval saves while serving") {
    PersistDir dir;
    TestOrigin origin;
    Cachet cachet(origin.url(), persisting(dir.path(), {"--persist-interval", "300ms"}));
    REQUIRE(get(cachet.port(), "/interval?cc=max-age%3D300").status == 200);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (read_file(dir.path()).find("/interval") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(read_file(dir.path()).find("/interval") != std::string::npos);
    CHECK(get(cachet.port(), "/interval?cc=max-age%3D300").header("Cache-Status") == "cachet; hit");
}

}  // namespace
}  // namespace cachet::integration
