// The demo origin scripts/run.sh starts: its routes carry the documented cache headers, it is
// as slow as asked, and cachet in front of it turns the second request into a hit.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/process.hpp"
#include "harness/readiness_line.hpp"

#ifndef DEMO_ORIGIN_BIN
#error "DEMO_ORIGIN_BIN must name the cachet-demo-origin binary (tests/integration/meson.build)"
#endif

namespace cachet::integration {
namespace {

class DemoOrigin {
public:
    explicit DemoOrigin(int delay_ms)
        : process_({DEMO_ORIGIN_BIN, "--listen", "127.0.0.1:0", "--delay-ms",
                    std::to_string(delay_ms)}) {
        constexpr std::string_view ready = "demo-origin listening on ";
        auto line = process_.wait_for_line(ready, Deadline::after(10s));
        if (!line) throw HarnessError("the demo origin did not report its port within 10 s");
        auto port = port_in_readiness_line(*line, ready);
        if (!port) throw HarnessError("cannot read a port in '" + *line + "'");
        port_ = *port;
    }
    int port() const noexcept { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    Process process_;
    int port_ = 0;
};

TEST_CASE("the demo origin's routes carry their documented cache headers") {
    DemoOrigin demo(0);
    struct Route {
        const char* path;
        int status;
        const char* cache_control;
    };
    for (const Route& route :
         {Route{"/", 200, "max-age=60"}, Route{"/api/users/42", 200, "public, max-age=60"},
          Route{"/api/time", 200, "max-age=5"}, Route{"/api/random", 200, "no-store"},
          Route{"/api/users/not-a-number", 404, "max-age=10"},
          Route{"/nowhere", 404, "max-age=10"}}) {
        Reply r = get(demo.port(), route.path);
        REQUIRE_MESSAGE(r.ok(), route.path << ": " << r.describe());
        CHECK_MESSAGE(r.status == route.status, route.path);
        CHECK_MESSAGE(r.header("Cache-Control") == route.cache_control, route.path);
        CHECK_MESSAGE(r.header("Server") == "cachet-demo-origin", route.path);
        CHECK_MESSAGE(r.header("Date").has_value(), route.path);
        CHECK_MESSAGE(r.header("Content-Type") == "application/json", route.path);
        CHECK_MESSAGE((!r.body.empty() && r.body.front() == '{'), route.path);
    }
}

TEST_CASE("the demo origin's user objects are deterministic and carry Last-Modified") {
    DemoOrigin demo(0);
    Reply first = get(demo.port(), "/api/users/7");
    Reply second = get(demo.port(), "/api/users/7");
    REQUIRE_MESSAGE(first.ok(), first.describe());
    REQUIRE_MESSAGE(second.ok(), second.describe());
    CHECK(first.body == second.body);
    CHECK(first.body.find("\"id\": 7") != std::string::npos);
    CHECK(first.header("Last-Modified").has_value());
    CHECK(first.header("Last-Modified") == second.header("Last-Modified"));
    CHECK(get(demo.port(), "/api/users/8").body != first.body);
}

TEST_CASE("the demo origin waits --delay-ms before each response") {
    DemoOrigin demo(200);
    auto started = Clock::now();
    Reply r = get(demo.port(), "/api/users/1");
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(ms_between(started, Clock::now()) >= 190);
}

TEST_CASE("cachet in front of the demo origin answers a repeated user lookup from its cache") {
    DemoOrigin demo(200);
    Cachet cachet(demo.url());
    Reply miss = get(cachet.port(), "/api/users/42");
    REQUIRE_MESSAGE(miss.ok(), miss.describe());
    auto started = Clock::now();
    Reply hit = get(cachet.port(), "/api/users/42");
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK_MESSAGE(cache_status(hit).hit, hit.describe());
    CHECK(hit.body == miss.body);
    CHECK_MESSAGE(ms_between(started, Clock::now()) < 190,
                  "a hit waited as long as the slow origin");
}

}  // namespace
}  // namespace cachet::integration
