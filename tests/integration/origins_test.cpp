// Named origins (docs/configuration.md, "Origins") on the real binary: several servers per
// origin taken round robin, a failing server left out and taken back, routes choosing the
// origin, an origin's own timeouts, and the per-origin metrics and readiness.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "harness/cachet.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/metrics.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

std::string server(int port) { return "\"http://127.0.0.1:" + std::to_string(port) + "\""; }

// A cachet with these origins and routes from a config file and no --origin, one worker
// (its rotation is the one the test predicts).
struct WithOrigins {
    WithOrigins(const std::string& origins, const std::string& routes = "[]",
                std::vector<std::string> flags = {})
        : file(R"({"origins": )" + origins + R"(, "routes": )" + routes + "}"),
          cachet("", with(std::move(flags), {"--config", file.path(), "--workers", "1"})) {}
    static std::vector<std::string> with(std::vector<std::string> a, std::vector<std::string> b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    }
    ConfigFile file;
    Cachet cachet;
    int port() const { return cachet.port(); }
    std::string metrics() const {
        Reply r = get(cachet.admin_port(), "/metrics");
        REQUIRE_MESSAGE(r.status == 200, r.describe());
        return r.body;
    }
    std::string metric(const std::string& name) const {
        return sample(metrics(), name).value_or("(absent)");
    }
};

// A response the cache does not store: every request reaches an origin.
Reply must_get_unstored(int port, const std::string& path) {
    Reply reply = get(port, path + "?cc=no-store");
    REQUIRE_MESSAGE(reply.status == 200, reply.describe());
    return reply;
}

TEST_CASE("origins: an origin's servers take its requests in turn") {
    TestOrigin a, b, c;
    WithOrigins cachet(R"({"api": {"servers": [)" + server(a.port()) + "," + server(b.port()) +
                       "," + server(c.port()) + "]}}");
    for (int i = 0; i < 9; ++i) must_get_unstored(cachet.port(), "/rr/" + std::to_string(i));
    CHECK(a.total_requests() == 3);
    CHECK(b.total_requests() == 3);
    CHECK(c.total_requests() == 3);
    CHECK(cachet.metric(R"(cachet_origin_requests_total{origin="api"})") == "9");
}

TEST_CASE(
    "origins: a refusing server costs no error, is left out after max_fails, and is taken "
    "back after fail_timeout") {
    TestOrigin alive;
    DeadPort dead;
    WithOrigins cachet(R"({"api": {"servers": [)" + server(alive.port()) + "," +
                       server(dead.port()) + R"(], "max_fails": 2, "fail_timeout": "1s"}})");
    const std::string up_of_dead = R"(cachet_origin_server_up{origin="api",server="127.0.0.1:)" +
                                   std::to_string(dead.port()) + R"("})";
    // Every request is answered: a refused connect goes on to the next server at once.
    for (int i = 0; i < 8; ++i) must_get_unstored(cachet.port(), "/h/" + std::to_string(i));
    CHECK(alive.total_requests() == 8);
    // Two refusals in a row left it out: the later requests did not try it.
    CHECK(cachet.metric(R"(cachet_origin_errors_total{origin="api",reason="connect_failed"})") ==
          "2");
    CHECK(cachet.metric(up_of_dead) == "0");

    // It comes back: once fail_timeout is over, it is tried again and answers.
    dead.release();
    TestOrigin revived(dead.port());
    std::this_thread::sleep_for(1200ms);
    for (int i = 0; i < 6; ++i) must_get_unstored(cachet.port(), "/back/" + std::to_string(i));
    CHECK(revived.total_requests() == 3);
    CHECK(cachet.metric(up_of_dead) == "1");
}

TEST_CASE("origins: the request a refused connect moves to the next server keeps its client") {
    TestOrigin alive;
    DeadPort dead;
    // The dead server first: the first request meets it, and goes on to the live one.
    WithOrigins cachet(R"({"api": {"servers": [)" + server(dead.port()) + "," +
                       server(alive.port()) + "]}}");
    const std::string hints =
        "interim=103&interim_header=" + url_encode("Link: </a.css>; rel=preload");
    Reply r = get(cachet.port(), "/moved?" + hints + "&cc=no-store");
    REQUIRE_MESSAGE(r.status == 200, r.describe());
    CHECK(alive.requests("/moved") == 1);
    // The 103 is relayed only to the client exchange the connection serves: the retry's.
    REQUIRE(r.interim.size() == 1);
    CHECK(r.interim[0].status == 103);
    CHECK(cachet.metric(R"(cachet_origin_errors_total{origin="api",reason="connect_failed"})") ==
          "1");
}

TEST_CASE("origins: when every server is left out, requests still go to them") {
    TestOrigin only;
    WithOrigins cachet(
        R"({"api": {"servers": [)" + server(only.port()) +
        R"(], "max_fails": 1, "fail_timeout": "1h", "first_byte_timeout": "200ms"}})");
    // One timeout leaves the only server out for an hour...
    Reply slow = get(cachet.port(), "/slow?delay_ms=1000&cc=no-store");
    CHECK_MESSAGE(slow.status == 504, slow.describe());
    // ... and the next request is sent to it all the same, and answered.
    must_get_unstored(cachet.port(), "/fast");
    CHECK(only.requests("/fast") == 1);
}

TEST_CASE("origins: routes send their requests to the origin they name") {
    TestOrigin main_origin, images;
    WithOrigins cachet(R"({"default": {"servers": [)" + server(main_origin.port()) +
                           R"(]}, "images": {"servers": [)" + server(images.port()) + "]}}",
                       R"([{"match": {"path_prefix": "/img/"}, "origin": "images"},
                           {"match": {"path": "/special"}, "bypass": true}])");
    for (int i = 0; i < 3; ++i) must_get_unstored(cachet.port(), "/img/" + std::to_string(i));
    must_get_unstored(cachet.port(), "/special");  // a route without origin: the default
    must_get_unstored(cachet.port(), "/other");    // no route: the default
    CHECK(images.total_requests() == 3);
    CHECK(main_origin.requests("/special") == 1);
    CHECK(main_origin.requests("/other") == 1);
    CHECK(main_origin.total_requests() == 2);
    CHECK(cachet.metric(R"(cachet_origin_requests_total{origin="images"})") == "3");
    CHECK(cachet.metric(R"(cachet_origin_requests_total{origin="default"})") == "2");
}

TEST_CASE("origins: --origin is the origin \"default\" next to the file's origins") {
    TestOrigin flag_origin, api;
    ConfigFile file(R"({"origins": {"api": {"servers": [)" + server(api.port()) +
                    R"(]}}, "routes": [{"match": {"path_prefix": "/api/"}, "origin": "api"}]})");
    Cachet cachet(flag_origin.url(), {"--config", file.path()});
    must_get_unstored(cachet.port(), "/api/x");
    must_get_unstored(cachet.port(), "/y");
    CHECK(api.requests("/api/x") == 1);
    CHECK(flag_origin.requests("/y") == 1);
}

TEST_CASE("origins: an origin's own first_byte_timeout applies to it alone") {
    TestOrigin quick, patient;
    WithOrigins cachet(R"({"quick": {"servers": [)" + server(quick.port()) +
                           R"(], "first_byte_timeout": "300ms", "max_fails": 0},
                          "patient": {"servers": [)" +
                           server(patient.port()) + "]}}",
                       R"([{"match": {"path_prefix": "/p/"}, "origin": "patient"}])");
    const auto started = Clock::now();
    Reply timed_out = get(cachet.port(), "/q?delay_ms=1500&cc=no-store");
    CHECK_MESSAGE(timed_out.status == 504, timed_out.describe());
    CHECK(Clock::now() - started < 1200ms);
    Reply waited = get(cachet.port(), "/p/x?delay_ms=700&cc=no-store");
    CHECK_MESSAGE(waited.status == 200, waited.describe());
    CHECK(cachet.metric(
              R"(cachet_origin_errors_total{origin="quick",reason="first_byte_timeout"})") == "1");
    CHECK(cachet.metric(
              R"(cachet_origin_errors_total{origin="patient",reason="first_byte_timeout"})") ==
          "0");
}

TEST_CASE("origins: /readyz?origins=1 is ready while every origin has a server that accepts") {
    TestOrigin alive;
    DeadPort dead, dead_too;
    WithOrigins half(R"({"api": {"servers": [)" + server(dead.port()) + "," + server(alive.port()) +
                     "]}}");
    Reply ready = get(half.cachet.admin_port(), "/readyz?origins=1");
    CHECK_MESSAGE(ready.status == 200, ready.describe());
    CHECK(ready.body.find("api 1/2") != std::string::npos);

    WithOrigins down(R"({"api": {"servers": [)" + server(alive.port()) +
                     R"(]}, "img": {"servers": [)" + server(dead_too.port()) + "]}}");
    Reply not_ready = get(down.cachet.admin_port(), "/readyz?origins=1");
    CHECK_MESSAGE(not_ready.status == 503, not_ready.describe());
    CHECK(not_ready.body.find("img unreachable: 127.0.0.1:" + std::to_string(dead_too.port())) !=
          std::string::npos);
}

TEST_CASE("origins: a route naming no origin stops the start with the field and exit 2") {
    TestOrigin origin;
    ConfigFile file(R"({"origins": {"api": {"servers": [)" + server(origin.port()) +
                    R"(]}}, "routes": [{"match": {"path": "/"}, "origin": "apl"}]})");
    RunResult run = run_to_exit({cachet_binary(), "--config", file.path(), "--listen",
                                 "127.0.0.1:0", "--admin", "127.0.0.1:0"},
                                10s);
    CHECK(run.status.exited);
    CHECK(run.status.code == 2);
    CHECK_MESSAGE(run.err.find(file.path() + ": routes[0].origin: no origin named \"apl\" "
                                             "(origins: \"api\")") != std::string::npos,
                  run.err);
    CHECK(run.out.find("listening") == std::string::npos);
}

}  // namespace
}  // namespace cachet::integration
