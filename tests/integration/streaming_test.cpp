// Large bodies stream through cachet as they arrive (the client is not made to wait for the whole
// body) and are stored intact.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "test_origin/body_pattern.hpp"

#include <fstream>
#include <thread>

#include "harness/slow_reader.hpp"

namespace cachet::integration {
namespace {

constexpr std::uint64_t ten_mib = 10 * 1024 * 1024;

TEST_CASE("a 10 MiB body streams to the client before the origin has sent all of it") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // The origin sends the head and 1 MiB, then waits 1.5 s before the remaining 9 MiB.
    const std::string target =
        "/big?cc=max-age=60&size=" + std::to_string(ten_mib) + "&stall_after=1048576&stall_ms=1500";

    Reply r = get(cachet.port(), target, {}, 30s);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CHECK(r.body.size() == ten_mib);
    CHECK(r.body == tools::pattern_bytes(0, ten_mib));
    // Buffering the whole body would deliver the first byte after the stall, with the rest.
    auto streamed_ms = ms_between(r.first_body_at, r.done_at);
    CHECK_MESSAGE(streamed_ms >= 1000,
                  "first body byte arrived only " << streamed_ms << " ms before the last");

    Reply hit = get(cachet.port(), target, {}, 30s);
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK_MESSAGE(cache_status(hit).hit, hit.describe());
    CHECK(hit.body == r.body);
    CHECK(origin.requests("/big") == 1);
}

// The process's resident memory, from /proc (this suite runs on Linux).
std::uint64_t resident_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6));
    }
    return 0;
}

TEST_CASE("a response that will not be stored is held back for a slow client, not buffered whole") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    constexpr std::uint64_t size = 32 * 1024 * 1024;
    const std::string target = "/pass?cc=no-store&size=" + std::to_string(size);
    const std::uint64_t before = resident_kib(cachet.pid());

    SlowReader client(cachet.port(), http_request("GET", target));
    REQUIRE(client.connected());
    // Nothing to await: the point is what does not happen while the client reads nothing.
    // Buffering the whole body takes well under this on loopback.
    std::this_thread::sleep_for(700ms);
    const std::uint64_t grown = resident_kib(cachet.pid()) - before;
    CHECK_MESSAGE(grown < 16 * 1024,
                  "cachet grew by " << grown << " KiB for a client reading nothing");

    // Then the client reads it all: the origin is resumed as it drains, bytes intact.
    std::string response = client.read_response(size, Deadline::after(30s));
    const std::size_t body_at = response.find("\r\n\r\n");
    REQUIRE(body_at != std::string::npos);
    CHECK(response.compare(0, 12, "HTTP/1.1 200") == 0);
    const std::string body = response.substr(body_at + 4);
    CHECK(body.size() == size);
    CHECK(body == tools::pattern_bytes(0, size));
    CHECK(origin.requests("/pass") == 1);
}

}  // namespace
}  // namespace cachet::integration
