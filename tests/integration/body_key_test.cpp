// Routes keyed on request bodies (body_key, docs/configuration.md) on the real binary: POST
// read APIs cached by canonical JSON, JSON-RPC answers served with the caller's id, coalescing
// per canonical key, invalid bodies keyed on their bytes, the same keys in a replay, and
// JSON-RPC batches answered call by call (the test origin's rpc=echo answers each call with
// its method and params, a batch in reverse order).
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

// The test origin answers each JSON-RPC call with its method and params (rpc=echo).
const std::string kEchoTarget = "/rpc?rpc=echo";

std::string rpc_call(const std::string& method, const std::string& params, const std::string& id) {
    std::string call = R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + params;
    if (!id.empty()) call += R"(,"id":)" + id;
    return call + "}";
}

// A single getUser call through cachet, whose answer the route stores (for batches to find).
void store_get_user(const Cachet& cachet, const std::string& params, const std::string& id) {
    REQUIRE(post(cachet.port(), kEchoTarget, rpc_call("getUser", params, id)).status == 200);
}

// The echo origin's answer to a call, with the id given.
std::string echo_answer(const std::string& method, const std::string& params,
                        const std::string& id) {
    return R"({"jsonrpc":"2.0","result":{"method":")" + method + R"(","params":)" + params +
           R"(},"id":)" + id + "}";
}

TEST_CASE(
    "body keys: a JSON-RPC batch is answered from the store call by call, only the "
    "missing calls forwarded") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    store_get_user(cachet, R"({"id":7})", "1");
    store_get_user(cachet, R"({"id":8})", "2");
    REQUIRE(origin.requests("/rpc") == 2);

    const std::string missing = rpc_call("getTeam", "[3]", "30");
    const std::string batch = "[" + rpc_call("getUser", R"({"id":8})", R"("b")") + ",\n " +
                              missing + ", " + rpc_call("getUser", R"({"id":7})", R"("a")") + "]";
    const std::string expected = "[" + echo_answer("getUser", R"({"id":8})", R"("b")") + "," +
                                 echo_answer("getTeam", "[3]", "30") + "," +
                                 echo_answer("getUser", R"({"id":7})", R"("a")") + "]";
    const Reply first = post(cachet.port(), kEchoTarget, batch);
    REQUIRE_MESSAGE(first.status == 200, first.describe());
    CHECK(origin.requests("/rpc") == 3);
    // Only the missing call went, in the client's own bytes, as a batch of one.
    CHECK(origin.last_body("/rpc") == "[" + missing + "]");
    CHECK(first.body == expected);
    CHECK(first.header("Content-Length") == std::to_string(first.body.size()));
    CHECK(first.header("Content-Type") == "application/json");

    // Every call is stored now: the same batch, and the same calls with other ids and
    // spelling, are answered with no origin request.
    const Reply again = post(cachet.port(), kEchoTarget, batch);
    CHECK(is_hit(again));
    CHECK(again.body == expected);
    CHECK(again.header("Date").has_value());
    CHECK(again.header("Content-Type") == "application/json");
    const Reply respelled =
        post(cachet.port(), kEchoTarget,
             R"([ {"id":9,"params":[3.0],"method":"getTeam","jsonrpc":"2.0"},)"
             R"({"jsonrpc":"2.0","method":"getUser","params":{"id":7},"id":null} ])");
    CHECK(is_hit(respelled));
    CHECK(respelled.body == "[" + echo_answer("getTeam", "[3]", "9") + "," +
                                echo_answer("getUser", R"({"id":7})", "null") + "]");
    CHECK(respelled.header("Content-Length") == std::to_string(respelled.body.size()));
    // The call the batch fetched answers a single call too.
    const Reply single = post(cachet.port(), kEchoTarget, rpc_call("getTeam", "[3]", "4"));
    CHECK(is_hit(single));
    CHECK(single.body == echo_answer("getTeam", "[3]", "4"));
    CHECK(origin.requests("/rpc") == 3);
}

TEST_CASE("body keys: a JSON-RPC batch whose missing calls share an id is passed through") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    const std::string batch =
        "[" + rpc_call("a", "[1]", "1") + "," + rpc_call("b", "[2]", "1") + "]";
    for (int round = 1; round <= 2; ++round) {
        const Reply reply = post(cachet.port(), kEchoTarget, batch);
        REQUIRE_MESSAGE(reply.status == 200, reply.describe());
        // The origin's own answer (reversed), and nothing stored: each round asks it.
        CHECK(reply.body ==
              "[" + echo_answer("b", "[2]", "1") + "," + echo_answer("a", "[1]", "1") + "]");
        CHECK(origin.last_body("/rpc") == batch);
        CHECK(origin.requests("/rpc") == static_cast<std::uint64_t>(round));
    }
    CHECK_FALSE(is_hit(post(cachet.port(), kEchoTarget, rpc_call("a", "[1]", "5"))));
}

TEST_CASE("body keys: a notification in a JSON-RPC batch goes to the origin and gets no answer") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    store_get_user(cachet, R"({"id":7})", "1");
    const std::string note = rpc_call("log", R"(["hi"])", "");
    const std::string missing = rpc_call("getTeam", "[3]", "30");
    const Reply mixed =
        post(cachet.port(), kEchoTarget,
             "[" + note + "," + rpc_call("getUser", R"({"id":7})", "5") + "," + missing + "]");
    REQUIRE_MESSAGE(mixed.status == 200, mixed.describe());
    CHECK(origin.last_body("/rpc") == "[" + note + "," + missing + "]");
    CHECK(mixed.body == "[" + echo_answer("getUser", R"({"id":7})", "5") + "," +
                            echo_answer("getTeam", "[3]", "30") + "]");
    // The notification goes each time, even with every other call stored.
    const Reply stored = post(cachet.port(), kEchoTarget,
                              "[" + rpc_call("getUser", R"({"id":7})", "6") + "," + note + "]");
    REQUIRE_MESSAGE(stored.status == 200, stored.describe());
    CHECK(stored.body == "[" + echo_answer("getUser", R"({"id":7})", "6") + "]");
    CHECK(origin.last_body("/rpc") == "[" + note + "]");
    CHECK(origin.requests("/rpc") == 3);
    // A batch of notifications only: nothing is returned.
    const Reply none = post(cachet.port(), kEchoTarget, "[" + note + "," + note + "]");
    CHECK_MESSAGE(none.status == 204, none.describe());
    CHECK(none.body.empty());
    CHECK(origin.requests("/rpc") == 4);
}

TEST_CASE(
    "body keys: a JSON-RPC batch the origin does not answer with a batch is relayed, "
    "nothing stored") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    const std::string batch =
        "[" + rpc_call("a", "[1]", "1") + "," + rpc_call("b", "[2]", "2") + "]";
    // A single error object (what a server that takes no batches says).
    const std::string error =
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"no"},"id":null})";
    const std::string single = "/rpc?content_type=application/json&body=" + url_encode(error);
    for (int round = 1; round <= 2; ++round) {
        const Reply reply = post(cachet.port(), single, batch);
        CHECK_MESSAGE(reply.status == 200, reply.describe());
        CHECK(reply.body == error);
        CHECK(reply.header("Content-Length") == std::to_string(error.size()));
        CHECK(origin.requests("/rpc") == static_cast<std::uint64_t>(round));
    }
    // An error status is relayed as the origin sent it.
    const Reply unavailable = post(cachet.port(), "/rpc?status=503&body=busy", batch);
    CHECK(unavailable.status == 503);
    CHECK(unavailable.body == "busy");
    // No answer at all: a 502 naming why.
    const Reply reset = post(cachet.port(), "/rpc?reset=1", batch);
    CHECK(reset.status == 502);
    CHECK(reset.body == "origin closed the connection before responding\n");
    CHECK_FALSE(is_hit(post(cachet.port(), single, rpc_call("a", "[1]", "1"))));
}

TEST_CASE("body keys: pipelined after a JSON-RPC batch, requests are answered in order") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    store_get_user(cachet, R"({"id":7})", "1");
    // A stored batch, a batch with a call to fetch (its origin answer delayed), and a single
    // stored call, in one write: the answers leave in request order.
    const std::string stored = "[" + rpc_call("getUser", R"({"id":7})", "2") + "]";
    const std::string fetched =
        "[" + rpc_call("getUser", R"({"id":7})", "3") + "," + rpc_call("slow", "[]", "4") + "]";
    HttpConnection connection(cachet.port(), Deadline::after(5s));
    REQUIRE(connection.connected());
    REQUIRE(connection.send(post_request(kEchoTarget, stored) +
                                post_request(kEchoTarget + "&delay_ms=200", fetched) +
                                post_request(kEchoTarget, rpc_call("getUser", R"({"id":7})", "5")),
                            Deadline::after(5s)));
    const Reply first = connection.read_response(Deadline::after(5s));
    CHECK(first.body == "[" + echo_answer("getUser", R"({"id":7})", "2") + "]");
    const Reply second = connection.read_response(Deadline::after(5s));
    // The delayed target is another key: its first call is fetched too.
    CHECK(second.body == "[" + echo_answer("getUser", R"({"id":7})", "3") + "," +
                             echo_answer("slow", "[]", "4") + "]");
    const Reply third = connection.read_response(Deadline::after(5s));
    CHECK(is_hit(third));
    CHECK(third.body == echo_answer("getUser", R"({"id":7})", "5"));
}

TEST_CASE("body keys: an origin answer to a JSON-RPC batch past 1 MiB gets a 502") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    const std::string batch = "[" + rpc_call("a", "[1]", "1") + "]";
    const Reply reply = post(cachet.port(), "/rpc?size=2000000", batch);
    CHECK_MESSAGE(reply.status == 502, reply.describe());
    CHECK(reply.body.find("larger than 1 MiB") != std::string::npos);
    // cachet goes on answering batches.
    CHECK(post(cachet.port(), kEchoTarget, batch).status == 200);
}

TEST_CASE(
    "body keys: a JSON-RPC batch's calls are decided as single calls: only-if-cached, "
    "no-cache") {
    TestOrigin origin;
    ConfigFile file(kRoutes);
    Cachet cachet(origin.url(), {"--config", file.path()});
    REQUIRE(post(cachet.port(), kEchoTarget, rpc_call("a", "[1]", "1")).status == 200);
    auto post_with = [&](const std::string& field, const std::string& body) {
        return fetch(cachet.port(), http_request("POST", kEchoTarget,
                                                 {"Content-Type: application/json", field}, body));
    };
    const std::string stored = "[" + rpc_call("a", "[1]", "2") + "]";
    const std::string missing =
        "[" + rpc_call("a", "[1]", "2") + "," + rpc_call("b", "[]", "3") + "]";
    CHECK(is_hit(post_with("Cache-Control: only-if-cached", stored)));
    const Reply refused = post_with("Cache-Control: only-if-cached", missing);
    CHECK(refused.status == 504);
    CHECK(origin.requests("/rpc") == 1);
    // no-cache: no stored answer is used without the origin, so every call goes.
    const Reply refetched = post_with("Cache-Control: no-cache", missing);
    REQUIRE_MESSAGE(refetched.status == 200, refetched.describe());
    CHECK(origin.last_body("/rpc") == missing);
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
