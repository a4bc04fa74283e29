// Origin-failure drills through the admin API (README, "Drills"): each kind against the real
// test origin, whose own counter shows whether a request reached it; the drill's end by its
// deadline and by DELETE; the token; bad bodies; the metrics and the listings.
#include <signal.h>

#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/concurrent.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/metrics.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

const std::string token = "drill-token";

Reply admin(const Cachet& cachet, std::string_view method, const std::string& target,
            const std::string& body = {}, const std::string& bearer = token) {
    std::vector<std::string> headers;
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    if (!bearer.empty()) headers.push_back("Authorization: Bearer " + bearer);
    return fetch(cachet.admin_port(), http_request(method, target, headers, body));
}

// Starts a drill on the origin "default"; `rest` is the body's other fields.
Reply start_drill(const Cachet& cachet, const std::string& rest) {
    Reply r = admin(cachet, "POST", "/drills", R"({"origin": "default", )" + rest + "}");
    const std::string why = r.describe() + " " + r.body;
    REQUIRE_MESSAGE(r.status == 200, why);
    return r;
}

std::string metric(const Cachet& cachet, const std::string& name) {
    Reply r = get(cachet.admin_port(), "/metrics");
    REQUIRE_MESSAGE(r.status == 200, r.describe());
    return sample(r.body, name).value_or("(absent)");
}

std::string drill_metric(const std::string& family, const std::string& kind,
                         const std::string& origin = "default") {
    return family + R"({origin=")" + origin + R"(",kind=")" + kind + R"("})";
}

// A response the cache never stores: every request is the origin's to answer.
std::string unstored(const std::string& path) { return path + "?cc=no-store"; }

long long took_ms(const Reply& r) { return ms_between(r.sent_at, r.done_at); }

std::size_t count_of(const std::string& text, const std::string& piece) {
    std::size_t n = 0;
    for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("drills: down refuses every connect, the origin sees nothing, and it ends by itself") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    REQUIRE(get(cachet.port(), unstored("/down")).status == 200);  // a kept-alive connection

    const auto started = Clock::now();
    Reply drill = start_drill(cachet, R"("kind": "down", "duration": "1500ms")");
    CHECK(drill.header("Content-Type") == "application/json");
    CHECK_MESSAGE(
        drill.body.find(R"("origin":"default","kind":"down","ends_in_ms":)") != std::string::npos,
        drill.body);
    // More refusals than max_fails (3): a drill does not take the server out of the rotation.
    for (int i = 0; i < 5; ++i) {
        Reply refused = get(cachet.port(), unstored("/down"));
        CHECK_MESSAGE(refused.status == 502, refused.describe());
    }
    CHECK(origin.requests("/down") == 1);
    CHECK(metric(cachet, drill_metric("cachet_drill_active", "down")) == "1");
    CHECK(metric(cachet, drill_metric("cachet_drill_active", "slow")) == "0");
    CHECK(metric(cachet, drill_metric("cachet_drill_requests_total", "down")) == "5");
    CHECK(metric(cachet,
                 R"(cachet_origin_errors_total{origin="default",reason="connect_failed"})") == "5");
    CHECK(metric(cachet, R"(cachet_origin_server_up{origin="default",server="127.0.0.1:)" +
                             std::to_string(origin.port()) + R"("})") == "1");

    // At its deadline the requests reach the origin again, with nothing done by hand.
    Reply back;
    const auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline) {
        back = get(cachet.port(), unstored("/down"));
        if (back.status == 200) break;
        std::this_thread::sleep_for(50ms);  // polling for the deadline, bounded
    }
    REQUIRE_MESSAGE(back.status == 200, back.describe());
    CHECK(ms_between(started, Clock::now()) >= 1400);
    CHECK(origin.requests("/down") == 2);
    CHECK(get(cachet.admin_port(), "/drills").body == "{\"drills\":[]}\n");
    CHECK(metric(cachet, drill_metric("cachet_drill_active", "down")) == "0");
}

TEST_CASE("drills: slow adds its latency before the response head, and DELETE ends it early") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    Reply before = get(cachet.port(), unstored("/slow"));
    REQUIRE(before.status == 200);

    start_drill(cachet, R"("kind": "slow", "duration": "30s", "latency": "300ms")");
    for (int i = 0; i < 2; ++i) {
        Reply slow = get(cachet.port(), unstored("/slow"));
        REQUIRE_MESSAGE(slow.status == 200, slow.describe());
        CHECK(took_ms(slow) >= 295);
        CHECK(took_ms(slow) < 300 + 700);
    }
    CHECK(origin.requests("/slow") == 3);  // delayed, not kept from the origin
    CHECK(metric(cachet, drill_metric("cachet_drill_requests_total", "slow")) == "2");

    Reply ended = admin(cachet, "DELETE", "/drills");
    REQUIRE_MESSAGE(ended.status == 200, ended.describe());
    CHECK(count_of(ended.body, R"("kind":"slow")") == 1);
    Reply after = get(cachet.port(), unstored("/slow"));
    REQUIRE(after.status == 200);
    CHECK(took_ms(after) < 250);
}

TEST_CASE("drills: misses that arrive during a slow drill's latency share one origin request") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    start_drill(cachet, R"("kind": "slow", "duration": "30s", "latency": "500ms")");
    const std::vector<std::string> requests(10, http_request("GET", "/co?cc=max-age=600"));
    auto replies = fetch_concurrently(cachet.port(), requests, Deadline::after(10s));
    for (const Reply& r : replies) CHECK_MESSAGE(r.status == 200, r.describe());
    CHECK(origin.requests("/co") == 1);
    CHECK(metric(cachet, drill_metric("cachet_drill_requests_total", "slow")) == "1");
}

TEST_CASE("drills: a latency past the first-byte timeout ends in its 504, at the timeout") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token, "--first-byte-timeout", "500ms"});
    start_drill(cachet, R"("kind": "slow", "duration": "30s", "latency": "3s")");
    Reply late = get(cachet.port(), unstored("/late"));
    CHECK_MESSAGE(late.status == 504, late.describe());
    CHECK(took_ms(late) >= 480);
    CHECK(took_ms(late) < 1500);
    CHECK(metric(cachet,
                 R"(cachet_origin_errors_total{origin="default",reason="first_byte_timeout"})") ==
          "1");
}

TEST_CASE("drills: error at rate 1 answers its status instead of the origin, and is not stored") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    start_drill(cachet, R"("kind": "error", "duration": "30s", "status": 503)");
    Reply answered = get(cachet.port(), "/err?cc=max-age=600");
    CHECK_MESSAGE(answered.status == 503, answered.describe());
    CHECK(answered.body == "cachet drill: origin \"default\" answers 503\n");
    CHECK(origin.requests("/err") == 0);
    CHECK(metric(cachet, drill_metric("cachet_drill_requests_total", "error")) == "1");

    REQUIRE(admin(cachet, "DELETE", "/drills").status == 200);
    Reply real = get(cachet.port(), "/err?cc=max-age=600");  // the 503 was not stored
    CHECK_MESSAGE(real.status == 200, real.describe());
    CHECK(origin.requests("/err") == 1);
}

TEST_CASE("drills: error lets a stored stale-if-error entry stand in, as a real 5xx would") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    const std::string target = "/sie?cc=max-age=1,stale-if-error=60";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    std::this_thread::sleep_for(2200ms);  // max-age=1 is past, whatever the second boundary

    start_drill(cachet, R"("kind": "error", "duration": "30s", "status": 500)");
    Reply r = get(cachet.port(), target);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CHECK(r.body == first.body);
    CacheStatus status = cache_status(r);
    CHECK_MESSAGE(status.fwd == "stale", status.raw);
    CHECK_MESSAGE(status.detail == "stale-if-error", status.raw);
    CHECK(origin.requests("/sie") == 1);
}

TEST_CASE("drills: error at rate 0.5 answers exactly every other request") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    start_drill(cachet, R"("kind": "error", "duration": "30s", "status": 502, "rate": 0.5)");
    int errors = 0;
    for (int i = 0; i < 20; ++i) {
        Reply r = get(cachet.port(), unstored("/half/" + std::to_string(i)));
        REQUIRE_MESSAGE((r.status == 200 || r.status == 502), r.describe());
        errors += r.status == 502 ? 1 : 0;
    }
    CHECK(errors == 10);
    CHECK(origin.total_requests() == 10);
    CHECK(metric(cachet, drill_metric("cachet_drill_requests_total", "error")) == "10");
}

TEST_CASE("drills: reset cuts the body short; the client sees the truncation, nothing is stored") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    const std::string target = "/cut?cc=max-age=600&size=20000";
    start_drill(cachet, R"("kind": "reset", "duration": "30s", "cut_after": 1000)");
    Reply cut = get(cachet.port(), target);
    CHECK_MESSAGE((cut.outcome == Outcome::truncated || cut.outcome == Outcome::reset),
                  cut.describe());
    CHECK(cut.status == 200);
    CHECK(cut.body.size() <= 1000);
    CHECK(origin.requests("/cut") == 1);
    CHECK(metric(cachet, R"(cachet_origin_errors_total{origin="default",reason="truncated"})") ==
          "1");
    CHECK(metric(cachet, drill_metric("cachet_drill_requests_total", "reset")) == "1");

    REQUIRE(admin(cachet, "DELETE", "/drills?origin=default").status == 200);
    Reply next = get(cachet.port(), target);
    REQUIRE_MESSAGE(next.ok(), next.describe());
    CHECK(next.body.size() == 20000);
    CHECK_FALSE(cache_status(next).hit);
    CHECK(origin.requests("/cut") == 2);
}

TEST_CASE("drills: POST and DELETE need the token; GET does not") {
    TestOrigin origin;
    {
        Cachet no_token(origin.url());
        Reply refused =
            admin(no_token, "POST", "/drills", R"({"origin": "default", "kind": "down"})");
        CHECK_MESSAGE(refused.status == 403, refused.describe());
        CHECK(get(no_token.admin_port(), "/drills").status == 200);
    }
    Cachet cachet(origin.url(), {"--admin-token", token});
    const std::string body = R"({"origin": "default", "kind": "down", "duration": "30s"})";
    CHECK(admin(cachet, "POST", "/drills", body, "").status == 401);
    CHECK(admin(cachet, "POST", "/drills", body, "wrong").status == 401);
    CHECK(admin(cachet, "DELETE", "/drills", {}, "").status == 401);
    CHECK(get(cachet.admin_port(), "/drills").body == "{\"drills\":[]}\n");
    CHECK(get(cachet.port(), unstored("/t")).status == 200);  // no drill was started
}

TEST_CASE("drills: a bad body is a 400 whose one line names the field") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    auto reason = [&](const std::string& body) {
        Reply r = admin(cachet, "POST", "/drills", body);
        CHECK_MESSAGE(r.status == 400, r.describe());
        return r.body;
    };
    CHECK(reason(R"({"origin": "apl", "kind": "down", "duration": "1s"})") ==
          "origin: unknown origin \"apl\" (origins: \"default\")\n");
    CHECK(reason(R"({"origin": "default", "kind": "down"})").starts_with("duration: required"));
    CHECK(reason(R"({"origin": "default", "kind": "down", "duration": "2h"})")
              .starts_with("duration: required"));
    CHECK(reason(R"({"origin": "default", "kind": "error", "duration": "1s", "rate": 2})") ==
          "rate: a number from 0 to 1\n");
    CHECK(reason(R"({"origin": "default", "kind": "slow", "duration": "1s"})")
              .starts_with("latency: "));
    CHECK(reason("nope").starts_with("body: "));
    CHECK(admin(cachet, "DELETE", "/drills?id=x").status == 400);
    CHECK(get(cachet.admin_port(), "/drills").body == "{\"drills\":[]}\n");
}

TEST_CASE("drills: GET lists the running drill, a new one replaces it, DELETE ends one or all") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    Reply first = start_drill(cachet, R"("kind": "down", "duration": "30s")");
    CHECK(first.body.starts_with(R"({"id":1,)"));
    Reply listed = get(cachet.admin_port(), "/drills");
    CHECK(listed.header("Content-Type") == "application/json");
    CHECK_MESSAGE(listed.body.starts_with(R"({"drills":[{"id":1,"origin":"default","kind":"down")"),
                  listed.body);

    start_drill(cachet, R"("kind": "error", "duration": "30s", "status": 500)");
    listed = get(cachet.admin_port(), "/drills");
    CHECK(count_of(listed.body, R"("id":)") == 1);  // one per origin: the new one
    CHECK_MESSAGE(
        listed.body.find(R"("id":2,"origin":"default","kind":"error")") != std::string::npos,
        listed.body);
    CHECK(get(cachet.port(), unstored("/l")).status == 500);
    Reply stats = get(cachet.admin_port(), "/stats");
    CHECK_MESSAGE(stats.body.find(R"("drills":[{"id":2,)") != std::string::npos, stats.body);
    CHECK(metric(cachet, drill_metric("cachet_drill_active", "error")) == "1");
    CHECK(metric(cachet, drill_metric("cachet_drill_active", "down")) == "0");

    CHECK(admin(cachet, "DELETE", "/drills?id=1").status == 404);  // replaced already
    Reply ended = admin(cachet, "DELETE", "/drills?id=2");
    REQUIRE_MESSAGE(ended.status == 200, ended.describe());
    CHECK(ended.body.starts_with(R"({"ended":[{"id":2,)"));
    CHECK(get(cachet.admin_port(), "/drills").body == "{\"drills\":[]}\n");
    CHECK(get(cachet.port(), unstored("/l")).status == 200);

    start_drill(cachet, R"("kind": "down", "duration": "30s")");
    CHECK(count_of(admin(cachet, "DELETE", "/drills").body, R"("id":)") == 1);
    CHECK(admin(cachet, "DELETE", "/drills").body == "{\"ended\":[]}\n");
    CHECK(get(cachet.port(), unstored("/l")).status == 200);
    CHECK(origin.requests("/l") == 2);
}

TEST_CASE("drills: a drill outlives a SIGHUP, which keeps its origin") {
    TestOrigin origin;
    ConfigFile file(R"({"admin_token": "first"})");
    Cachet cachet(origin.url(), {"--config", file.path()});
    Reply drill = admin(cachet, "POST", "/drills",
                        R"({"origin": "default", "kind": "down", "duration": "30s"})", "first");
    REQUIRE_MESSAGE(drill.status == 200, drill.describe());

    // The new token answers once the reload is done: a DELETE naming no drill gets a 404.
    file.rewrite(R"({"admin_token": "second"})");
    REQUIRE(::kill(cachet.pid(), SIGHUP) == 0);
    bool reloaded = false;
    for (Deadline deadline = Deadline::after(10s); !reloaded && !deadline.expired();) {
        reloaded = admin(cachet, "DELETE", "/drills?id=99", {}, "second").status == 404;
        if (!reloaded) std::this_thread::sleep_for(20ms);  // polling for the reload, bounded
    }
    REQUIRE(reloaded);
    CHECK(get(cachet.admin_port(), "/drills").body.starts_with(R"({"drills":[{"id":1,)"));
    CHECK(get(cachet.port(), unstored("/hup")).status == 502);
    CHECK(origin.total_requests() == 0);
}

TEST_CASE("drills: a drill breaks its own origin only") {
    TestOrigin main_origin, images;
    auto server = [](int port) { return "\"http://127.0.0.1:" + std::to_string(port) + "\""; };
    ConfigFile file(R"({"origins": {"default": {"servers": [)" + server(main_origin.port()) +
                    R"(]}, "images": {"servers": [)" + server(images.port()) +
                    R"(]}}, "routes": [{"match": {"path_prefix": "/img/"}, "origin": "images"}]})");
    Cachet cachet("", {"--config", file.path(), "--admin-token", token});
    Reply drill = admin(cachet, "POST", "/drills",
                        R"({"origin": "images", "kind": "down", "duration": "30s"})");
    REQUIRE_MESSAGE(drill.status == 200, drill.describe());
    CHECK(get(cachet.port(), unstored("/img/a")).status == 502);
    CHECK(get(cachet.port(), unstored("/page")).status == 200);
    CHECK(images.total_requests() == 0);
    CHECK(main_origin.total_requests() == 1);
    CHECK(metric(cachet, drill_metric("cachet_drill_active", "down", "images")) == "1");
    CHECK(metric(cachet, drill_metric("cachet_drill_active", "down")) == "0");
    Reply bad = admin(cachet, "POST", "/drills", R"({"origin": "img", "kind": "down"})");
    CHECK(bad.body == "origin: unknown origin \"img\" (origins: \"default\", \"images\")\n");
}

}  // namespace cachet::integration
