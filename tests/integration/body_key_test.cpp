// Routes keyed on request bodies (body_key, docs/configuration.md) on the real binary: POST
// read APIs cached by canonical JSON, JSON-RPC answers served with the caller's id, coalescing
// per canonical key, invalid bodies keyed on their bytes, and the same keys in a replay.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/cachet.hpp"
#include "harness/concurrent.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/metrics.hpp"
#include "harness/origin.hpp"
#include "harness/temp_dir.hpp"

namespace cachet::integration {
namespace {

constexpr const char* kRoutes = R"({"routes": [
  {"match": {"path": "/graphql"}, "body_key": {"kind": "json", "ignore": ["/requestId", "/meta"]},
   "forced_ttl": "60s"},
  {"match": {"path": "/rpc"}, "body_key": "json_rpc", "forced_ttl": "60s"},
  {"match": {"path": "/raw"}, "body_key": "raw", "forced_ttl": "60s"}
]})";

std::string post_request(const std::string& target, const std::string& body) {
    return http_request("POST", target, {"Content-Type: application/json"}, body);
}

Reply post(int port, const std::string& target, const std::string& body) {
    return fetch(port, post_request(target, body));
}

bool is_hit(const Reply& reply) { return reply.header("Cache-Status") == "cachet; hit"; }

// The test origin answers a JSON-RPC call with this body (id 1, whatever the call said).
const std::string kRpcTarget =
    "/rpc?content_type=application/json&body=" +
    url_encode(R"({"jsonrpc":"2.0","result":{"name":"ada","id":1},"id":1})");

TEST_CASE("body keys: bodies that mean the same JSON share one stored answer") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    const Reply first = post(cachet.port(), "/graphql",
                             R"({"query":"{a}","vars":{"x":1,"y":[1,2]},"requestId":"r1"})");
    REQUIRE(first.status == 200);
    CHECK_FALSE(is_hit(first));
    // Member order, whitespace, number spelling and ignored members do not change the key.
    for (const char* same :
         {R"({ "vars": {"y": [1, 2], "x": 1.0}, "query": "{a}" })",
          R"({"query":"{a}","vars":{"x":1e0,"y":[1,2]},"requestId":"r2","meta":{"trace":"t"}})",
          R"({"requestId":"r3","query":"\u007ba}","vars":{"y":[1,2],"x":10E-1}})"}) {
        const Reply again = post(cachet.port(), "/graphql", same);
        CHECK_MESSAGE(is_hit(again), std::string(same));
        CHECK(again.body == first.body);
    }
    // What differs in meaning does.
    CHECK_FALSE(
        is_hit(post(cachet.port(), "/graphql", R"({"query":"{a}","vars":{"x":2,"y":[1,2]}})")));
    CHECK_FALSE(
        is_hit(post(cachet.port(), "/graphql", R"({"query":"{a}","vars":{"x":1,"y":[2,1]}})")));
    CHECK(origin.requests("/graphql") == 3);
}

TEST_CASE("body keys: QUERY is keyed on its body like POST, and reaches the origin as QUERY") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    const auto query = [&](const std::string& target, const std::string& body) {
        return fetch(cachet.port(),
                     http_request("QUERY", target, {"Content-Type: application/json"}, body));
    };
    const Reply first = query("/graphql?echo=1", R"({"query":"{a}","vars":{"x":1}})");
    REQUIRE_MESSAGE(first.status == 200, first.describe());
    CHECK(first.body.rfind("QUERY /graphql?echo=1 HTTP/1.1\n", 0) == 0);
    const Reply again = query("/graphql?echo=1", R"({ "vars": {"x": 1.0}, "query": "{a}" })");
    CHECK(is_hit(again));
    CHECK(again.body == first.body);
    CHECK_FALSE(is_hit(query("/graphql?echo=1", R"({"query":"{b}"})")));
    CHECK(origin.requests("/graphql") == 2);

    // Without a body-keyed route a QUERY goes to the origin each time, and, being safe,
    // invalidates nothing (RFC 9111 §4.4 is for unsafe methods).
    const std::string plain = "/plain?echo=1&cc=max-age%3D60";
    REQUIRE(get(cachet.port(), plain).status == 200);
    for (int i = 0; i < 2; ++i) {
        const Reply r = query(plain, "{}");
        CHECK(r.status == 200);
        CHECK(r.body.rfind("QUERY " + plain + " HTTP/1.1\n", 0) == 0);
    }
    CHECK(is_hit(get(cachet.port(), plain)));
    CHECK(origin.requests("/plain") == 3);
}

TEST_CASE("body keys: invalid JSON is keyed on its bytes, and counted") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    CHECK_FALSE(is_hit(post(cachet.port(), "/graphql", "{not json")));
    CHECK(is_hit(post(cachet.port(), "/graphql", "{not json")));
    CHECK_FALSE(is_hit(post(cachet.port(), "/graphql", "{not  json")));
    const std::string metrics = get(cachet.admin_port(), "/metrics").body;
    CHECK(sample(metrics, "cachet_body_key_fallbacks_total") == "3");
}

TEST_CASE("body keys: raw keys on the exact bytes") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    CHECK_FALSE(is_hit(post(cachet.port(), "/raw", R"({"a":1,"b":2})")));
    CHECK(is_hit(post(cachet.port(), "/raw", R"({"a":1,"b":2})")));
    CHECK_FALSE(is_hit(post(cachet.port(), "/raw", R"({"b":2,"a":1})")));
}

TEST_CASE(
    "body keys: a JSON-RPC answer is keyed on method and params and carries the caller's id") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    const Reply first = post(cachet.port(), kRpcTarget,
                             R"({"jsonrpc":"2.0","method":"getUser","params":{"id":7},"id":1})");
    REQUIRE(first.status == 200);
    CHECK(first.body == R"({"jsonrpc":"2.0","result":{"name":"ada","id":1},"id":1})");
    const Reply string_id =
        post(cachet.port(), kRpcTarget,
             R"({"id":"req-42","params":{"id":7},"method":"getUser","jsonrpc":"2.0"})");
    CHECK(is_hit(string_id));
    // Only the top-level id changes; the one inside the result stays.
    CHECK(string_id.body == R"({"jsonrpc":"2.0","result":{"name":"ada","id":1},"id":"req-42"})");
    CHECK(string_id.header("Content-Length") == std::to_string(string_id.body.size()));
    const Reply null_id =
        post(cachet.port(), kRpcTarget,
             R"({"jsonrpc":"2.0","method":"getUser","params":{"id":7},"id":null})");
    CHECK(null_id.body == R"({"jsonrpc":"2.0","result":{"name":"ada","id":1},"id":null})");
    CHECK_FALSE(is_hit(post(cachet.port(), kRpcTarget,
                            R"({"jsonrpc":"2.0","method":"getUser","params":{"id":8},"id":1})")));
    CHECK(origin.requests("/rpc") == 2);
}

TEST_CASE("body keys: concurrent misses for one canonical body make one origin request") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    std::vector<std::string> requests;
    for (int i = 0; i < 8; ++i) {
        // Each spells the same query differently: one key.
        requests.push_back(post_request("/graphql?delay_ms=300",
                                        R"({"requestId":")" + std::to_string(i) +
                                            R"(","query":"{slow}"})" + std::string(i, ' ')));
    }
    const auto replies = fetch_concurrently(cachet.port(), requests, Deadline::after(10s));
    for (const auto& reply : replies) CHECK_MESSAGE(reply.status == 200, reply.describe());
    CHECK(origin.requests("/graphql") == 1);
}

TEST_CASE("body keys: a POST to a body-keyed route invalidates nothing") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    REQUIRE(post(cachet.port(), "/graphql", R"({"q":1})").status == 200);
    REQUIRE(post(cachet.port(), "/graphql", R"({"q":2})").status == 200);
    CHECK(is_hit(post(cachet.port(), "/graphql", R"({"q":1})")));
}

TEST_CASE("body keys: a bad body_key is refused, naming the field") {
    auto error_of = [](const std::string& routes) {
        ConfigFile file(R"({"routes": )" + routes + "}");
        RunResult run = run_to_exit({cachet_binary(), "--origin", "http://127.0.0.1:9", "--config",
                                     file.path(), "--print-config"},
                                    10s);
        CHECK(run.status.code == 2);
        return run.err;
    };
    CHECK(error_of(R"([{"match": {"path": "/"}, "body_key": "xml"}])")
              .find("routes[0].body_key.kind") != std::string::npos);
    CHECK(error_of(R"([{"match": {"path": "/"}, "body_key": {"kind": "json", "ignore": ["id"]}}])")
              .find("routes[0].body_key.ignore[0]: json pointer \"id\": must start with '/'") !=
          std::string::npos);
    CHECK(error_of(R"([{"match": {"path": "/"}, "body_key": {"kind": "raw", "ignore": ["/id"]}}])")
              .find("only for the kinds json and json_rpc") != std::string::npos);
}

TEST_CASE("body keys: a replay keys bodies as the route says, and rewrites JSON-RPC ids") {
    TempDir dir("bodykey");
    const std::string snapshot = dir.path("rpc.snapshot");
    ConfigFile file(kRoutes);
    {
        TestOrigin origin;
        Cachet cachet(origin.url(),
                      {"--config", file.path(), "--mode", "record", "--snapshot", snapshot});
        REQUIRE(post(cachet.port(), kRpcTarget + "&cc=no-store",
                     R"({"jsonrpc":"2.0","method":"getUser","params":{"id":7},"id":1})")
                    .status == 200);
        REQUIRE(post(cachet.port(), "/graphql?cc=no-store", R"({"query":"{a}","requestId":"x"})")
                    .status == 200);
        REQUIRE(cachet.stop().clean());
    }
    {
        Cachet replay("", {"--config", file.path(), "--mode", "replay", "--snapshot", snapshot});
        const Reply rpc = post(replay.port(), kRpcTarget + "&cc=no-store",
                               R"({"jsonrpc":"2.0","id":99,"method":"getUser","params":{"id":7}})");
        CHECK(rpc.status == 200);
        CHECK(rpc.body == R"({"jsonrpc":"2.0","result":{"name":"ada","id":1},"id":99})");
        const Reply graphql =
            post(replay.port(), "/graphql?cc=no-store", R"({"requestId":"y", "query":"{a}"})");
        CHECK(graphql.status == 200);
    }
}

}  // namespace
}  // namespace cachet::integration
