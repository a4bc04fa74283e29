// The config file and --print-config on the real binary: a file configures a running cachet,
// a flag beats its variable which beats the file, and a bad file starts nothing.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/cachet.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "harness/readiness_line.hpp"

namespace cachet::integration {
namespace {

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

TEST_CASE("a config file alone configures a running cachet, and --print-config shows it") {
    TestOrigin origin;
    ConfigFile file(R"({"origin": ")" + origin.url() +
                    R"(", "listen": "127.0.0.1:0", "workers": 1, "cache_size": "2m"})");

    RunResult printed =
        run_to_exit({cachet_binary(), "--config", file.path(), "--print-config"}, 10s);
    CHECK_FALSE(printed.timed_out);
    CHECK_MESSAGE(printed.status.clean(), printed.status.describe() << " " << printed.err);
    CHECK_MESSAGE(contains(printed.out, R"("listen": {"value": "127.0.0.1:0", "source": "file"})"),
                  printed.out);
    CHECK_MESSAGE(contains(printed.out, R"("cache_size": {"value": "2m", "source": "file"})"),
                  printed.out);
    CHECK_MESSAGE(contains(printed.out, R"("workers": {"value": 1, "source": "file"})"),
                  printed.out);
    CHECK_FALSE(contains(printed.out, "listening"));

    Process cachet({cachet_binary(), "--config", file.path(), "--admin", "127.0.0.1:0"});
    constexpr std::string_view ready = "cachet listening on ";
    auto line = cachet.wait_for_line(ready, Deadline::after(15s));
    REQUIRE_MESSAGE(line.has_value(), "no readiness line; stdout: " << cachet.stdout_text());
    auto port = port_in_readiness_line(*line, ready);
    REQUIRE(port.has_value());
    Reply reply = get(*port, "/from-config-file");
    CHECK_MESSAGE(reply.ok(), reply.describe());
    CHECK(reply.status == 200);
    CHECK(origin.requests("/from-config-file") == 1);
    ExitStatus status = cachet.stop();
    CHECK_MESSAGE(status.clean(), status.describe());
}

TEST_CASE("a flag beats its environment variable, which beats the config file") {
    ConfigFile file(R"({"origin": "http://127.0.0.1:9", "cache_size": "8m",
                        "connect_timeout": "3s", "client_timeout": "7s"})");
    RunResult run = run_to_exit(
        {"/usr/bin/env", "CACHET_CACHE_SIZE=16m", "CACHET_CONNECT_TIMEOUT=4s",
         "CACHET_CONFIG=" + file.path(), cachet_binary(), "--cache-size", "32m", "--print-config"},
        10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE(run.status.clean(), run.status.describe() << " " << run.err);
    CHECK_MESSAGE(contains(run.out, R"("cache_size": {"value": "32m", "source": "flag"})"),
                  run.out);
    CHECK_MESSAGE(
        contains(run.out, R"("connect_timeout": {"value": "4s", "source": "environment"})"),
        run.out);
    CHECK_MESSAGE(contains(run.out, R"("client_timeout": {"value": "7s", "source": "file"})"),
                  run.out);
    CHECK_MESSAGE(
        contains(run.out, R"("first_byte_timeout": {"value": "30s", "source": "default"})"),
        run.out);
}

TEST_CASE("an invalid config file exits 2 with a message naming it, and starts nothing") {
    TestOrigin origin;
    ConfigFile file(R"({"origin": ")" + origin.url() +
                    R"(", "listen": "127.0.0.1:0", "connect_timeout": "thirty"})");
    RunResult run = run_to_exit({cachet_binary(), "--config", file.path()}, 10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE((run.status.exited && run.status.code == 2), run.status.describe());
    CHECK_MESSAGE(
        contains(run.err, file.path() + ": connect_timeout: expected a duration like 500ms, 2s "
                                        "or 1m, got \"thirty\""),
        "stderr: " << run.err);
    CHECK_FALSE(contains(run.out, "listening"));

    ConfigFile misspelt(R"({"cache_sise": "1m"})");
    RunResult unknown = run_to_exit({cachet_binary(), "--config", misspelt.path()}, 10s);
    CHECK_MESSAGE((unknown.status.exited && unknown.status.code == 2), unknown.status.describe());
    CHECK_MESSAGE(contains(unknown.err, "cache_sise: unknown field (did you mean cache_size?)"),
                  "stderr: " << unknown.err);

    ConfigFile malformed("{\"listen\": \"127.0.0.1:0\",,}");
    RunResult broken = run_to_exit({cachet_binary(), "--config", malformed.path()}, 10s);
    CHECK_MESSAGE((broken.status.exited && broken.status.code == 2), broken.status.describe());
    CHECK_MESSAGE(contains(broken.err, malformed.path() + ": malformed JSON"),
                  "stderr: " << broken.err);

    RunResult missing = run_to_exit({cachet_binary(), "--config", "/nonexistent/cachet.json"}, 10s);
    CHECK_MESSAGE((missing.status.exited && missing.status.code == 2), missing.status.describe());
    CHECK_MESSAGE(contains(missing.err, "/nonexistent/cachet.json: cannot read the config file"),
                  "stderr: " << missing.err);
    CHECK(origin.total_requests() == 0);
}

}  // namespace
}  // namespace cachet::integration
