// SIGHUP reads the configuration again: a valid file's settings apply to the next request,
// also on a connection kept open across the reload, and the store is kept; an invalid file
// leaves the running configuration in place and says why; a setting only a restart can
// change is named and kept.
#include <signal.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/cachet.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "harness/process.hpp"
#include "harness/readiness_line.hpp"

namespace cachet::integration {
namespace {

// cachet with its stderr captured, to read its log lines.
class ReloadingCachet {
public:
    ReloadingCachet(const TestOrigin& origin, const ConfigFile& file)
        : process_({cachet_binary(), "--config", file.path(), "--origin", origin.url(), "--listen",
                    "127.0.0.1:0", "--workers", "2", "--admin", "127.0.0.1:0"},
                   Process::Options{.capture_stderr = true}) {
        auto line = process_.wait_for_line("cachet listening on", Deadline::after(15s));
        REQUIRE_MESSAGE(line, "no readiness line; stderr: " << process_.stderr_text());
        port_ = port_in_readiness_line(*line, "cachet listening on ").value_or(0);
        REQUIRE(port_ > 0);
    }
    int port() const { return port_; }
    // Sends SIGHUP and waits for the log line that ends the reload, `count` of them so far.
    bool reload_and_wait(std::string_view message, int count) {
        if (::kill(process_.pid(), SIGHUP) != 0) return false;
        Deadline deadline = Deadline::after(10s);
        while (!deadline.expired()) {
            if (occurrences(message) >= count) {
                // The workers adopt it at the top of their next loop turn, woken at once.
                std::this_thread::sleep_for(50ms);
                return true;
            }
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
    int occurrences(std::string_view text) const {
        const std::string err = process_.stderr_text();
        int n = 0;
        for (auto at = err.find(text); at != std::string::npos; at = err.find(text, at + 1)) ++n;
        return n;
    }
    std::string log() const { return process_.stderr_text(); }
    ExitStatus stop() { return process_.stop(); }

private:
    Process process_;
    int port_ = 0;
};

TEST_CASE("SIGHUP applies a valid file to the next request on a connection kept open") {
    TestOrigin origin;
    ConfigFile file;
    file.rewrite(R"({"store_set_cookie": false})");
    ReloadingCachet cachet(origin, file);
    Deadline deadline = Deadline::after(20s);
    HttpConnection client(cachet.port(), deadline);
    REQUIRE(client.connected());
    const std::string request = http_request("GET", "/cookie?set_cookie=1&cc=max-age=60");

    // Not stored while store_set_cookie is false: both requests reach the origin.
    REQUIRE(client.exchange(request, deadline).ok());
    REQUIRE(client.exchange(request, deadline).ok());
    CHECK(origin.requests("/cookie") == 2);

    file.rewrite(R"({"store_set_cookie": true})");
    REQUIRE_MESSAGE(cachet.reload_and_wait("\"msg\":\"config reloaded\"", 1), cachet.log());
    Reply stored = client.exchange(request, deadline);  // the same connection, not dropped
    REQUIRE_MESSAGE(stored.ok(), stored.describe());
    CHECK(stored.header("cache-status").value_or("").find("stored") != std::string::npos);
    Reply hit = client.exchange(request, deadline);
    REQUIRE(hit.ok());
    CHECK(hit.header("cache-status") == "cachet; hit");
    CHECK(origin.requests("/cookie") == 3);
    CHECK(cachet.stop().clean());
}

TEST_CASE("SIGHUP with an invalid file keeps the running configuration and logs why") {
    TestOrigin origin;
    ConfigFile file;
    file.rewrite(R"({"store_set_cookie": true})");
    ReloadingCachet cachet(origin, file);
    Deadline deadline = Deadline::after(20s);
    HttpConnection client(cachet.port(), deadline);
    REQUIRE(client.connected());
    const std::string request = http_request("GET", "/kept?set_cookie=1&cc=max-age=60");
    REQUIRE(client.exchange(request, deadline).ok());  // stored: store_set_cookie is true

    file.rewrite(R"({"store_set_cookie": "sometimes"})");
    REQUIRE_MESSAGE(cachet.reload_and_wait("config reload failed", 1), cachet.log());
    CHECK(cachet.log().find("store_set_cookie") != std::string::npos);  // names the field
    file.rewrite("{ not json");
    REQUIRE_MESSAGE(cachet.reload_and_wait("config reload failed", 2), cachet.log());

    Reply hit = client.exchange(request, deadline);  // the stored entry and the connection stay
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK(hit.header("cache-status") == "cachet; hit");
    CHECK(origin.requests("/kept") == 1);
    CHECK(cachet.stop().clean());
}

TEST_CASE("a setting only a restart can change is named in the log and kept") {
    TestOrigin origin;
    ConfigFile file;
    file.rewrite(R"({"cache_size": "64m"})");
    ReloadingCachet cachet(origin, file);  // --listen and --workers given as flags win anyway
    file.rewrite(R"({"cache_size": "128m"})");
    REQUIRE_MESSAGE(cachet.reload_and_wait("\"msg\":\"config reloaded\"", 1), cachet.log());
    CHECK(cachet.log().find("\"field\":\"cache_size\"") != std::string::npos);
    Deadline deadline = Deadline::after(10s);
    HttpConnection client(cachet.port(), deadline);  // still on the port it started on
    REQUIRE(client.connected());
    CHECK(client.exchange(http_request("GET", "/still"), deadline).ok());
    CHECK(cachet.stop().clean());
}

}  // namespace
}  // namespace cachet::integration
