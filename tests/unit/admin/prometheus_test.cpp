#include "admin/prometheus.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet;
using namespace cachet::admin;

namespace {

Snapshot known() {
    Snapshot s;
    OriginFigures api;
    api.name = "api";
    api.requests = 1;
    api.errors[static_cast<std::size_t>(Errc::origin_reset)] = 2;
    api.latency[0] = 1;  // <= 1 ms
    api.latency[3] = 2;  // <= 10 ms
    api.latency_sum_us = 12'500;
    api.servers = {{"10.0.0.1:8080", true}, {"10.0.0.2:8080", false}};
    OriginFigures assets;
    assets.name = "assets";
    assets.requests = 7;
    s.origins = {api, assets};
    s.requests[static_cast<std::size_t>(CacheStatus::hit)] = 3;
    s.requests[static_cast<std::size_t>(CacheStatus::miss)] = 1;
    s.route_labels = {"none", "other", "api \"v1\""};
    s.route_requests[kNoRouteSlot][static_cast<std::size_t>(CacheStatus::hit)] = 1;
    s.route_requests[2][static_cast<std::size_t>(CacheStatus::hit)] = 2;
    s.route_requests[2][static_cast<std::size_t>(CacheStatus::miss)] = 1;
    s.store_entries = 1;
    s.store_budget_bytes = 1 << 20;
    s.client_connections = 2;
    s.store_index_bytes = 4096;
    return s;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

}  // namespace

TEST_CASE("every family has HELP and TYPE lines before its samples") {
    std::string text = format_prometheus(known());
    for (const char* family :
         {"cachet_requests_total", "cachet_origin_requests_total", "cachet_origin_errors_total",
          "cachet_origin_response_seconds", "cachet_client_received_bytes_total",
          "cachet_client_sent_bytes_total", "cachet_store_entries", "cachet_store_bytes",
          "cachet_store_budget_bytes", "cachet_store_evictions_total",
          "cachet_process_resident_memory_bytes", "cachet_coalesced_waiters_total",
          "cachet_open_connections", "cachet_purges_total", "cachet_origin_server_up",
          "cachet_purge_index_bytes"}) {
        auto help = text.find(std::string("# HELP ") + family + " ");
        auto type = text.find(std::string("# TYPE ") + family + " ");
        auto first = text.find(std::string("\n") + family);
        CHECK_MESSAGE(help != std::string::npos, family);
        CHECK_MESSAGE(type != std::string::npos, family);
        CHECK_MESSAGE(help < type, family);
        CHECK_MESSAGE(type < first, family);
    }
    CHECK(text.back() == '\n');
}

TEST_CASE("request counters carry a cache_status and a route label, every status per route") {
    std::string text = format_prometheus(known());
    CHECK(has_line(text, "cachet_requests_total{cache_status=\"hit\",route=\"none\"} 1"));
    CHECK(has_line(text, "cachet_requests_total{cache_status=\"hit\",route=\"api \\\"v1\\\"\"} 2"));
    CHECK(
        has_line(text, "cachet_requests_total{cache_status=\"miss\",route=\"api \\\"v1\\\"\"} 1"));
    CHECK(has_line(text, "cachet_requests_total{cache_status=\"refused\",route=\"other\"} 0"));
    std::size_t samples = 0;
    for (auto at = text.find("\ncachet_requests_total{"); at != std::string::npos;
         at = text.find("\ncachet_requests_total{", at + 1))
        ++samples;
    CHECK(samples == 3 * kCacheStatusCount);  // the three labels given, no more
    CHECK(has_line(text, "cachet_origin_requests_total{origin=\"api\"} 1"));
    CHECK(has_line(text, "cachet_origin_requests_total{origin=\"assets\"} 7"));
    CHECK(has_line(text, "cachet_origin_errors_total{origin=\"api\",reason=\"reset\"} 2"));
    CHECK(has_line(text, "cachet_origin_errors_total{origin=\"assets\",reason=\"reset\"} 0"));
    CHECK(text.find("reason=\"bad_request\"") == std::string::npos);  // not an origin's
    CHECK(has_line(text, "cachet_open_connections{side=\"client\"} 2"));
}

TEST_CASE("the purge indexes' memory is a gauge of its own") {
    std::string text = format_prometheus(known());
    CHECK(text.find("# TYPE cachet_purge_index_bytes gauge\n") != std::string::npos);
    CHECK(has_line(text, "cachet_purge_index_bytes 4096"));
}

TEST_CASE("the latency histogram is cumulative, in seconds, ending at +Inf") {
    std::string text = format_prometheus(known());
    const std::string o = "origin=\"api\"";
    CHECK(has_line(text, "cachet_origin_response_seconds_bucket{" + o + ",le=\"0.001\"} 1"));
    CHECK(has_line(text, "cachet_origin_response_seconds_bucket{" + o + ",le=\"0.005\"} 1"));
    CHECK(has_line(text, "cachet_origin_response_seconds_bucket{" + o + ",le=\"0.01\"} 3"));
    CHECK(has_line(text, "cachet_origin_response_seconds_bucket{" + o + ",le=\"10\"} 3"));
    CHECK(has_line(text, "cachet_origin_response_seconds_bucket{" + o + ",le=\"+Inf\"} 3"));
    CHECK(has_line(text, "cachet_origin_response_seconds_sum{" + o + "} 0.012500"));
    CHECK(has_line(text, "cachet_origin_response_seconds_count{" + o + "} 3"));
    CHECK(has_line(text, "cachet_origin_response_seconds_count{origin=\"assets\"} 0"));
}

TEST_CASE("each origin server's place in the rotation is a gauge") {
    std::string text = format_prometheus(known());
    CHECK(has_line(text, "cachet_origin_server_up{origin=\"api\",server=\"10.0.0.1:8080\"} 1"));
    CHECK(has_line(text, "cachet_origin_server_up{origin=\"api\",server=\"10.0.0.2:8080\"} 0"));
}

TEST_CASE("label values escape backslash, quote and newline") {
    CHECK(escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    Snapshot s;
    s.origins.resize(1);
    s.origins[0].name = "we\"ird";
    CHECK(format_prometheus(s).find("origin=\"we\\\"ird\"") != std::string::npos);
}

TEST_CASE("counter blocks add up, and the quantile reads the histogram") {
    WorkerCounters a(2), b(2);
    a.count(CacheStatus::hit);
    a.count(CacheStatus::hit);
    b.count(CacheStatus::hit);
    b.origins[0].count_error(Errc::origin_connect_timeout);
    a.origins[0].observe_response(500);         // bucket 0 (<= 1 ms)
    b.origins[0].observe_response(20'000'000);  // past 10 s: +Inf
    bump(b.origins[1].requests, 4);
    bump(a.client_connections, 3);
    bump(a.client_connections, -1);
    a.count(CacheStatus::miss, 5);
    b.count(CacheStatus::miss, 5);
    Snapshot s;
    s.origins.resize(2);
    add_counters(s, a);
    add_counters(s, b);
    add_counters(s, WorkerCounters{});  // the admin thread's block: no origin counters
    CHECK(s.requests_of(CacheStatus::hit) == 3);
    const OriginFigures& first = s.origins[0];
    CHECK(first.errors[static_cast<std::size_t>(Errc::origin_connect_timeout)] == 1);
    CHECK(first.latency.front() == 1);
    CHECK(first.latency.back() == 1);
    CHECK(s.origins[1].requests == 4);
    CHECK(s.route_requests[kNoRouteSlot][static_cast<std::size_t>(CacheStatus::hit)] == 3);
    CHECK(s.route_requests[5][static_cast<std::size_t>(CacheStatus::miss)] == 2);
    CHECK(s.requests_of(CacheStatus::miss) == 2);  // the totals count every route
    CHECK(s.client_connections == 2);
    CHECK(latency_quantile(first, 0.5) == doctest::Approx(0.001));
    CHECK(latency_quantile(first, 0.99) == doctest::Approx(10.0));
    CHECK(latency_quantile(OriginFigures{}, 0.5) == 0);
}
