#include "json/json_rpc.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cachet::json;

namespace {

RpcRequest parsed(std::string_view body, BodyParser& parser,
                  const std::vector<std::string>& ignored = {}) {
    std::vector<JsonPointer> pointers;
    for (const auto& text : ignored) pointers.push_back(*parse_json_pointer(text));
    auto request = parse_rpc(body, parser, pointers);
    REQUIRE(request);
    return *std::move(request);
}

std::string refused(std::string_view body) {
    BodyParser parser;
    auto request = parse_rpc(body, parser);
    REQUIRE_FALSE(request);
    return std::string(name(request.error()));
}

std::string key_of(const RpcCall& call) {
    std::string key;
    append_call_key(call, key);
    return key;
}

// The key part of a single call.
std::string key_of(std::string_view body) {
    BodyParser parser;
    auto request = parsed(body, parser);
    REQUIRE(request.calls.size() == 1);
    return key_of(request.calls[0]);
}

}  // namespace

TEST_CASE("a single call gives its method, canonical params and raw id") {
    BodyParser parser;
    const std::string body =
        R"({"jsonrpc": "2.0", "method": "getUser", "params": {"b": 2, "a": 1.0}, "id": 7})";
    auto request = parsed(body, parser);
    CHECK_FALSE(request.batch);
    REQUIRE(request.calls.size() == 1);
    const RpcCall& call = request.calls[0];
    CHECK(call.method == "getUser");
    CHECK(call.params == R"({"a":1,"b":2})");
    CHECK(call.id == "7");
    CHECK(call.id_key == "7");
    CHECK_FALSE(call.notification());
    CHECK(call.text == body);
}

TEST_CASE("an id is kept as the JSON text the client wrote, of every kind an id may be") {
    BodyParser parser;
    auto id_of = [&](std::string_view id) {
        const std::string body = R"({"jsonrpc":"2.0","method":"m","id":)" + std::string(id) + "}";
        auto request = parsed(body, parser);
        return std::pair(std::string(request.calls[0].id), request.calls[0].id_key);
    };
    CHECK(id_of(R"("abc")") == std::pair<std::string, std::string>(R"("abc")", R"("abc")"));
    CHECK(id_of(R"("\u0061")") == std::pair<std::string, std::string>(R"("\u0061")", R"("a")"));
    CHECK(id_of("null") == std::pair<std::string, std::string>("null", "null"));
    CHECK(id_of("-12") == std::pair<std::string, std::string>("-12", "-12"));
    CHECK(id_of("1.0") == std::pair<std::string, std::string>("1.0", "1"));
    CHECK(id_of("18446744073709551615").second == "18446744073709551615");
    CHECK(id_of(" 5 ").first == "5");  // without the whitespace around it
}

TEST_CASE("a call without an id is a notification") {
    BodyParser parser;
    auto request = parsed(R"({"jsonrpc":"2.0","method":"log","params":["x"]})", parser);
    CHECK(request.calls[0].notification());
    CHECK(request.calls[0].id.empty());
    CHECK(request.calls[0].id_key.empty());
}

TEST_CASE("absent params are empty, and params of either kind are canonical") {
    BodyParser parser;
    CHECK(parsed(R"({"jsonrpc":"2.0","method":"m","id":1})", parser).calls[0].params.empty());
    CHECK(parsed(R"({"jsonrpc":"2.0","method":"m","params":[ 1 , "\u00e9" ],"id":1})", parser)
              .calls[0]
              .params == "[1,\"\xc3\xa9\"]");
    CHECK(parsed(R"({"jsonrpc":"2.0","method":"m","params":{},"id":1})", parser).calls[0].params ==
          "{}");
}

TEST_CASE("the key part is method and params, never the id or the members' order") {
    const std::string a = key_of(R"({"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1})");
    CHECK(a == R"("sum"[1,2])");
    CHECK(key_of(R"({"id":"other","params":[1.0,2e0],"method":"sum","jsonrpc":"2.0"})") == a);
    CHECK(key_of(R"({"jsonrpc":"2.0","method":"sum","params":[2,1],"id":1})") != a);
    CHECK(key_of(R"({"jsonrpc":"2.0","method":"sub","params":[1,2],"id":1})") != a);
    // The quoted method ends before the params: no shift between the two can collide.
    CHECK(key_of(R"({"jsonrpc":"2.0","method":"a[1]","id":1})") !=
          key_of(R"({"jsonrpc":"2.0","method":"a","params":[1],"id":1})"));
    CHECK(key_of(R"({"jsonrpc":"2.0","method":"m","id":1})") == R"("m")");
    CHECK(key_of(R"({"jsonrpc":"2.0","method":"m","params":[],"id":1})") == R"("m"[])");
}

TEST_CASE("a batch gives each call, in order, with its own bytes") {
    BodyParser parser;
    const std::string body = R"( [ {"jsonrpc":"2.0","method":"a","id":1},
        {"jsonrpc":"2.0","method":"b","params":{"x":[1]}},
        {"jsonrpc":"2.0","method":"c","id":"three"} ] )";
    auto request = parsed(body, parser);
    CHECK(request.batch);
    REQUIRE(request.calls.size() == 3);
    CHECK(request.calls[0].method == "a");
    CHECK(request.calls[0].text == R"({"jsonrpc":"2.0","method":"a","id":1})");
    CHECK(request.calls[1].notification());
    CHECK(request.calls[1].params == R"({"x":[1]})");
    CHECK(request.calls[1].text == R"({"jsonrpc":"2.0","method":"b","params":{"x":[1]}})");
    CHECK(request.calls[2].id == R"("three")");
}

TEST_CASE("a batch of one is still a batch") {
    BodyParser parser;
    auto request = parsed(R"([{"jsonrpc":"2.0","method":"a","id":1}])", parser);
    CHECK(request.batch);
    CHECK(request.calls.size() == 1);
}

TEST_CASE("ignored pointers are relative to each call and reach into params") {
    BodyParser parser;
    auto request = parsed(R"([{"jsonrpc":"2.0","method":"q","params":{"trace":1,"n":2},"id":1},
                              {"jsonrpc":"2.0","method":"q","params":{"n":2,"trace":9},"id":2},
                              {"jsonrpc":"2.0","method":"q","params":[5,6],"id":3}])",
                          parser, {"/params/trace", "/params/1", "/id"});
    CHECK(request.calls[0].params == R"({"n":2})");
    CHECK(key_of(request.calls[0]) == key_of(request.calls[1]));
    CHECK(request.calls[2].params == "[5,null]");
    CHECK(request.calls[0].id == "1");  // the id is never part of the key anyway
}

TEST_CASE("ignoring /params leaves the params out of the key") {
    BodyParser parser;
    auto request =
        parsed(R"({"jsonrpc":"2.0","method":"q","params":{"n":2},"id":1})", parser, {"/params"});
    CHECK(request.calls[0].params.empty());
}

TEST_CASE("what is not a JSON-RPC 2.0 request is refused, with the reason") {
    CHECK(refused("") == "invalid-json");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m")") == "invalid-json");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m"} x)") == "invalid-json");
    CHECK(refused("[]") == "rpc-empty-batch");
    CHECK(refused("7") == "rpc-not-a-call");
    CHECK(refused(R"("call")") == "rpc-not-a-call");
    CHECK(refused(R"([1,2])") == "rpc-not-a-call");
    CHECK(refused(R"({"method":"m","id":1})") == "rpc-version");
    CHECK(refused(R"({"jsonrpc":"1.0","method":"m","id":1})") == "rpc-version");
    CHECK(refused(R"({"jsonrpc":2.0,"method":"m","id":1})") == "rpc-version");
    CHECK(refused(R"({"jsonrpc":"2.0","id":1})") == "rpc-method");
    CHECK(refused(R"({"jsonrpc":"2.0","method":7,"id":1})") == "rpc-method");
    CHECK(refused(R"({"jsonrpc":"2.0","method":null,"id":1})") == "rpc-method");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","params":"x","id":1})") == "rpc-params");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","params":null,"id":1})") == "rpc-params");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","id":{"a":1}})") == "rpc-id");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","id":[1]})") == "rpc-id");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","id":true})") == "rpc-id");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","method":"n","id":1})") ==
          "rpc-duplicate-member");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","id":1,"id":2})") == "rpc-duplicate-member");
    CHECK(refused(R"({"jsonrpc":"2.0","method":"m","params":{"n":1e400},"id":1})") == "bad-number");
}

TEST_CASE("one bad call refuses the whole batch") {
    CHECK(refused(R"([{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","id":2}])") ==
          "rpc-method");
    CHECK(refused(R"([{"jsonrpc":"2.0","method":"a","id":1},[]])") == "rpc-not-a-call");
    CHECK(refused(R"([{"jsonrpc":"2.0","method":"a","id":1},])") == "invalid-json");
}

TEST_CASE("members other than the four are not looked at") {
    CHECK(key_of(R"({"jsonrpc":"2.0","method":"m","id":1,"x-extra":{"y":1}})") == R"("m")");
}

TEST_CASE("an id member whose name is escaped is still the id, found by its position") {
    BodyParser parser;
    auto request =
        parsed(R"({"jsonrpc":"2.0","params":{"id":1},"method":"m","\u0069d":"x"})", parser);
    CHECK(request.calls[0].id == R"("x")");
    CHECK(request.calls[0].params == R"({"id":1})");
}
