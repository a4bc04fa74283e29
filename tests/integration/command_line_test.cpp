// The command line: help, refusals that name the bad flag, and a clean SIGTERM.
#include <doctest/doctest.h>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE("--help lists the flags and exits 0") {
    RunResult run = run_to_exit({cachet_binary(), "--help"}, 10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE((run.status.exited && run.status.code == 0), run.status.describe());
    for (const char* flag :
         {"--origin", "--listen", "--workers", "--cache-size", "--max-object-size",
          "--connect-timeout", "--first-byte-timeout", "--origin-idle-timeout", "--client-timeout",
          "--coalesce-max-waiters", "--coalesce-timeout"}) {
        CHECK_MESSAGE(run.out.find(flag) != std::string::npos, flag << " missing from --help");
    }
    for (const char* mention : {"--config PATH", "--print-config", "cache_size", "CACHET_CONFIG"}) {
        CHECK_MESSAGE(run.out.find(mention) != std::string::npos,
                      mention << " missing from --help");
    }
}

TEST_CASE("--print-config prints every setting and its source, and exits 0") {
    RunResult run = run_to_exit(
        {cachet_binary(), "--origin", "http://127.0.0.1:9", "--workers", "3", "--print-config"},
        10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE((run.status.exited && run.status.code == 0), run.status.describe());
    CHECK(run.out.rfind("{\n", 0) == 0);
    CHECK(run.out.find(R"("workers": {"value": 3, "source": "flag"})") != std::string::npos);
    CHECK(run.out.find(R"("listen": {"value": "127.0.0.1:8080", "source": "default"})") !=
          std::string::npos);
    CHECK(run.out.find("listening") == std::string::npos);
}

TEST_CASE("an unknown flag exits 2 with a message that names it") {
    RunResult run = run_to_exit(
        {cachet_binary(), "--origin", "http://127.0.0.1:9", "--no-such-flag", "1"}, 10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE((run.status.exited && run.status.code == 2), run.status.describe());
    CHECK_MESSAGE((run.err + run.out).find("--no-such-flag") != std::string::npos,
                  "stderr: " << run.err);
}

TEST_CASE("an invalid duration exits 2 with a message that names the flag") {
    RunResult run = run_to_exit(
        {cachet_binary(), "--origin", "http://127.0.0.1:9", "--connect-timeout", "soon"}, 10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE((run.status.exited && run.status.code == 2), run.status.describe());
    CHECK_MESSAGE((run.err + run.out).find("connect-timeout") != std::string::npos,
                  "stderr: " << run.err);
}

TEST_CASE("an invalid size exits 2 with a message that names the flag") {
    RunResult run = run_to_exit(
        {cachet_binary(), "--origin", "http://127.0.0.1:9", "--cache-size", "lots"}, 10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE((run.status.exited && run.status.code == 2), run.status.describe());
    CHECK_MESSAGE((run.err + run.out).find("cache-size") != std::string::npos,
                  "stderr: " << run.err);
}

TEST_CASE("SIGTERM stops cachet with exit status 0, even with a client connection open") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(10s);
    HttpConnection idle(cachet.port(), deadline);
    REQUIRE(idle.connected());
    REQUIRE(idle.exchange(http_request("GET", "/before-stop?cc=max-age=60"), deadline).ok());

    auto started = Clock::now();
    ExitStatus status = cachet.stop();
    CHECK_MESSAGE((status.exited && status.code == 0), status.describe());
    CHECK_FALSE(status.killed);
    CHECK(ms_between(started, Clock::now()) < 5000);
}

}  // namespace
}  // namespace cachet::integration
