#include "admin/stats_json.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet;
using namespace cachet::admin;

TEST_CASE("/stats is one JSON object with the figures of /metrics") {
    Snapshot s;
    s.origins.resize(2);
    s.origins[0].name = "o\"rigin";
    s.origins[0].servers = {{"10.0.0.1:80", true}, {"10.0.0.2:80", false}};
    s.origins[1].name = "second";
    s.ready = true;
    s.workers = 2;
    s.requests[static_cast<std::size_t>(CacheStatus::hit)] = 3;
    s.requests[static_cast<std::size_t>(CacheStatus::miss)] = 1;
    s.store_entries = 1;
    s.store_budget_bytes = 4096;
    s.store_index_bytes = 96;
    s.route_labels = {"none", "other", "api"};
    s.top_keys = {{"shop.example/p?id=\"1\"", 480}, {"shop.example/q", 32}};
    s.route_requests[2][static_cast<std::size_t>(CacheStatus::hit)] = 3;
    s.client_connections = -0;
    std::string json = format_stats_json(s);
    CHECK(json.starts_with("{\"ready\":true,\"workers\":2,"));
    CHECK(json.find("\"requests\":{\"hit\":3,\"stale\":0,\"miss\":1,") != std::string::npos);
    CHECK(json.find("\"requests_total\":4,") != std::string::npos);
    CHECK(json.find("\"origins\":[{\"name\":\"o\\\"rigin\"") != std::string::npos);
    CHECK(json.find("\"servers\":[{\"server\":\"10.0.0.1:80\",\"up\":true},"
                    "{\"server\":\"10.0.0.2:80\",\"up\":false}]},{\"name\":\"second\"") !=
          std::string::npos);
    CHECK(json.find("\"store\":{\"entries\":1,\"bytes\":0,\"budget_bytes\":4096,\"evictions\":0,"
                    "\"index_bytes\":96}") != std::string::npos);
    CHECK(json.find("\"routes\":[{\"name\":\"none\",\"requests\":{\"hit\":0,") !=
          std::string::npos);
    CHECK(json.find(",{\"name\":\"api\",\"requests\":{\"hit\":3,\"stale\":0,") !=
          std::string::npos);
    CHECK(json.find("\"refused\":0}}],") != std::string::npos);
    CHECK(json.find("\"top_keys\":[{\"key\":\"shop.example/p?id=\\\"1\\\"\",\"hits\":480},"
                    "{\"key\":\"shop.example/q\",\"hits\":32}],") != std::string::npos);
    CHECK(json.find("\"errors\":{\"connect_failed\":0,") != std::string::npos);
    CHECK(json.ends_with("}\n"));
    // Balanced braces, no trailing commas.
    int depth = 0;
    for (char c : json) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    CHECK(depth == 0);
    for (char c : json) depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    CHECK(depth == 0);
    CHECK(json.find(",}") == std::string::npos);
    CHECK(json.find("{,") == std::string::npos);
    CHECK(json.find(",]") == std::string::npos);
    CHECK(json.find("[,") == std::string::npos);
}
