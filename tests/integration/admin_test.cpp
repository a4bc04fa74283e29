// The admin API on its own port: health, readiness (also while draining, and with the origin
// down), Prometheus metrics and JSON stats after a known sequence of requests, refusals, and
// the listener's own flags.
#include <signal.h>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <thread>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/metrics.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

bool wait_for_status(int port, const std::string& target, int status, Deadline deadline) {
    while (!deadline.expired()) {
        if (get(port, target, {}, 2s).status == status) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

TEST_CASE("admin: /healthz, /readyz, /metrics and /stats answer on the admin port") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    REQUIRE(cachet.admin_port() > 0);
    CHECK(cachet.admin_port() != cachet.port());

    Reply health = get(cachet.admin_port(), "/healthz");
    REQUIRE_MESSAGE(health.ok(), health.describe());
    CHECK(health.status == 200);
    CHECK(health.body == "ok\n");

    Reply ready = get(cachet.admin_port(), "/readyz");
    CHECK(ready.status == 200);

    Reply metrics = get(cachet.admin_port(), "/metrics");
    REQUIRE_MESSAGE(metrics.ok(), metrics.describe());
    CHECK(metrics.status == 200);
    CHECK(metrics.header("Content-Type") == "text/plain; version=0.0.4");
    CHECK(metrics.body.find("# HELP cachet_requests_total ") != std::string::npos);
    CHECK(metrics.body.find("# TYPE cachet_requests_total counter\n") != std::string::npos);
    CHECK(metrics.body.find("# TYPE cachet_origin_response_seconds histogram\n") !=
          std::string::npos);
    CHECK(sample(metrics.body, "cachet_purges_total") == "0");

    Reply stats = get(cachet.admin_port(), "/stats");
    REQUIRE_MESSAGE(stats.ok(), stats.describe());
    CHECK(stats.header("Content-Type") == "application/json");
    CHECK(stats.body.substr(0, 13) == "{\"ready\":true");

    // The data port knows nothing of these paths: they go to the origin like any other.
    get(cachet.port(), "/metrics");
    CHECK(origin.requests("/metrics") == 1);
}

TEST_CASE("admin: unknown paths are 404, wrong methods 405 with Allow, HEAD has no body") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(10s);
    HttpConnection conn(cachet.admin_port(), deadline);
    REQUIRE(conn.connected());

    Reply missing = conn.exchange(http_request("GET", "/nope"), deadline);
    CHECK(missing.status == 404);
    CHECK(missing.body.find("/nope") != std::string::npos);
    CHECK_FALSE(missing.closes_connection());

    Reply wrong = conn.exchange(http_request("POST", "/metrics", {}, "x"), deadline);
    CHECK(wrong.status == 405);
    CHECK(wrong.header("Allow") == "GET, HEAD");

    Reply head = conn.exchange(http_request("HEAD", "/healthz"), deadline, /*head_request=*/true);
    CHECK(head.status == 200);
    CHECK(head.header("Content-Length") == "3");
    CHECK(head.body.empty());

    Reply big =
        fetch(cachet.admin_port(), http_request("POST", "/purge", {}, std::string(70 * 1024, 'x')));
    CHECK(big.status == 413);
}

TEST_CASE("admin: counters after one miss and three hits on two workers") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--workers", "2"});
    const std::string target = "/counted?cc=max-age=60";
    for (int i = 0; i < 4; ++i) REQUIRE(get(cachet.port(), target).status == 200);
    REQUIRE(origin.requests("/counted") == 1);

    Reply metrics = get(cachet.admin_port(), "/metrics");
    REQUIRE_MESSAGE(metrics.ok(), metrics.describe());
    const std::string& m = metrics.body;
    const std::string o = "{origin=\"default\"}";  // --origin is the origin named default
    CHECK(sample(m, "cachet_requests_total{cache_status=\"hit\",route=\"none\"}") == "3");
    CHECK(sample(m, "cachet_requests_total{cache_status=\"miss\",route=\"none\"}") == "1");
    CHECK(sample(m, "cachet_requests_total{cache_status=\"pass\",route=\"none\"}") == "0");
    CHECK(sample(m, "cachet_origin_requests_total" + o) == "1");
    CHECK(sample(m, "cachet_origin_response_seconds_count" + o) == "1");
    CHECK(sample(m, "cachet_store_entries") == "1");
    CHECK(sample(m, "cachet_store_evictions_total") == "0");
    // One entry in the path index: one map node (48 B, its size class) in one shard.
    CHECK(std::stoull(sample(m, "cachet_purge_index_bytes").value_or("0")) >= 48);
    CHECK(sample(m, "cachet_workers") == "2");
    CHECK(sample(m, "cachet_store_budget_bytes") == std::to_string(256u << 20));
    CHECK(std::stoull(sample(m, "cachet_client_sent_bytes_total").value_or("0")) > 4 * 40);
    CHECK(std::stoull(sample(m, "cachet_client_received_bytes_total").value_or("0")) > 4 * 20);
    CHECK(std::stoull(sample(m, "cachet_process_resident_memory_bytes").value_or("0")) > 0);

    Reply stats = get(cachet.admin_port(), "/stats");
    CHECK(stats.body.find("\"hit\":3,") != std::string::npos);
    CHECK(stats.body.find("\"entries\":1,") != std::string::npos);
    CHECK(stats.body.find("\"index_bytes\":") != std::string::npos);
}

TEST_CASE("admin: /stats top_keys names the key being hit, with its hits estimated") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--workers", "2"});
    Deadline deadline = Deadline::after(30s);
    {
        HttpConnection client(cachet.port(), deadline);
        REQUIRE(client.connected());
        for (int i = 0; i < 400; ++i) {
            REQUIRE(client.exchange(http_request("GET", "/hot?cc=max-age=60"), deadline).ok());
            if (i % 20 == 0) {
                const std::string cold = "/cold" + std::to_string(i) + "?cc=max-age=60";
                REQUIRE(client.exchange(http_request("GET", cold), deadline).ok());
            }
        }
    }
    // The workers publish their tables once a second.
    const std::string first = "\"top_keys\":[{\"key\":\"127.0.0.1/hot?cc=max-age=60\",\"hits\":";
    std::string body;
    while (!deadline.expired()) {
        body = get(cachet.admin_port(), "/stats").body;
        if (body.find(first) != std::string::npos) break;
        std::this_thread::sleep_for(100ms);
    }
    const auto at = body.find(first);
    REQUIRE_MESSAGE(at != std::string::npos, body);
    // 399 hits, one in about 16 sampled: an estimate, not a count.
    const long long hits = std::stoll(body.substr(at + first.size()));
    CHECK(hits >= 100);
    CHECK(hits <= 1200);
}

TEST_CASE("admin: origin errors are counted by reason") {
    DeadPort dead;
    Cachet cachet("http://127.0.0.1:" + std::to_string(dead.port()));
    CHECK(get(cachet.port(), "/down").status == 502);
    Reply metrics = get(cachet.admin_port(), "/metrics");
    const std::string o = "origin=\"default\"";
    CHECK(sample(metrics.body, "cachet_origin_errors_total{" + o + ",reason=\"connect_failed\"}") ==
          "1");
    CHECK(sample(metrics.body, "cachet_requests_total{cache_status=\"error\",route=\"none\"}") ==
          "1");
}

TEST_CASE("admin: /readyz is 503 once SIGTERM arrives, while a slow request drains") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(20s);
    HttpConnection slow(cachet.port(), deadline);
    REQUIRE(slow.send(http_request("GET", "/slow?delay_ms=1500"), deadline));
    while (origin.requests("/slow") == 0 && !deadline.expired()) std::this_thread::sleep_for(10ms);
    REQUIRE(get(cachet.admin_port(), "/readyz").status == 200);

    REQUIRE(::kill(cachet.pid(), SIGTERM) == 0);
    CHECK(wait_for_status(cachet.admin_port(), "/readyz", 503, Deadline::after(5s)));
    CHECK(get(cachet.admin_port(), "/healthz").status == 200);  // alive, not ready
    Reply drained = slow.read_response(deadline);
    CHECK_MESSAGE(drained.status == 200, drained.describe());
    ExitStatus status = cachet.stop();
    CHECK_MESSAGE(status.clean(), status.describe());
}

TEST_CASE("admin: /readyz?origins=1 is 503 naming the origin once it is down") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string authority = "127.0.0.1:" + std::to_string(origin.port());
    Reply up = get(cachet.admin_port(), "/readyz?origins=1");
    CHECK_MESSAGE(up.status == 200, up.describe());
    origin.stop();
    Reply down = get(cachet.admin_port(), "/readyz?origins=1");
    CHECK_MESSAGE(down.status == 503, down.describe());
    CHECK(down.body.find(authority) != std::string::npos);
    CHECK(get(cachet.admin_port(), "/readyz").status == 200);  // without the probe: ready
}

TEST_CASE("admin: a taken admin port stops the start with an error naming --admin") {
    TestOrigin origin;
    Cachet first(origin.url());
    const std::string taken = "127.0.0.1:" + std::to_string(first.admin_port());
    RunResult run = run_to_exit(
        {cachet_binary(), "--origin", origin.url(), "--listen", "127.0.0.1:0", "--admin", taken},
        10s);
    CHECK_FALSE(run.timed_out);
    CHECK_MESSAGE((run.status.exited && run.status.code == 1), run.status.describe());
    CHECK_MESSAGE(
        run.err.find("--admin: " + taken + ": address already in use") != std::string::npos,
        "stderr: " << run.err);
}

TEST_CASE("admin: --admin off runs without an admin listener") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin", "off"});
    CHECK(cachet.admin_port() == 0);
    CHECK(get(cachet.port(), "/a?cc=max-age=60").status == 200);
}

}  // namespace
}  // namespace cachet::integration
