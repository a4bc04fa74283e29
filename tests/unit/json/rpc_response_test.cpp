#include "json/rpc_response.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet::json;

namespace {

// The response with its id replaced, or "!" and the error's name.
std::string served(std::string_view response, std::string_view raw_id) {
    BodyParser parser;
    std::string out = "left over";
    auto replaced = with_id(response, raw_id, out, parser);
    if (!replaced) {
        CHECK(out.empty());
        return "!" + std::string(name(replaced.error()));
    }
    return out;
}

}  // namespace

TEST_CASE("a response is served with the caller's id, every other byte as stored") {
    const std::string stored = R"({"jsonrpc": "2.0", "result": {"name": "Ann"}, "id": 41})";
    CHECK(served(stored, "7") == R"({"jsonrpc": "2.0", "result": {"name": "Ann"}, "id": 7})");
    CHECK(served(stored, R"("req-7")") ==
          R"({"jsonrpc": "2.0", "result": {"name": "Ann"}, "id": "req-7"})");
    CHECK(served(stored, "null") == R"({"jsonrpc": "2.0", "result": {"name": "Ann"}, "id": null})");
    CHECK(served(stored, "-1.5e3") ==
          R"({"jsonrpc": "2.0", "result": {"name": "Ann"}, "id": -1.5e3})");
    CHECK(served(stored, R"("a\"b\u00e9")") ==
          R"({"jsonrpc": "2.0", "result": {"name": "Ann"}, "id": "a\"b\u00e9"})");
}

TEST_CASE("every kind of stored id is replaced whole") {
    for (std::string_view id :
         {R"("x")", R"("with \" and ,}")", "12345678901234", "null", "0.5", R"("")"}) {
        CAPTURE(id);
        const std::string stored =
            "{\"id\" : " + std::string(id) + " ,\"jsonrpc\":\"2.0\",\"result\":1}";
        CHECK(served(stored, "9") == R"({"id" : 9 ,"jsonrpc":"2.0","result":1})");
    }
}

TEST_CASE("only the top-level id is replaced, not an id inside result or error") {
    CHECK(served(R"({"jsonrpc":"2.0","result":{"id":1,"items":[{"id":2}]},"id":3})", R"("c")") ==
          R"({"jsonrpc":"2.0","result":{"id":1,"items":[{"id":2}]},"id":"c"})");
    CHECK(served(R"({"id":3,"jsonrpc":"2.0","result":{"id":1}})", "4") ==
          R"({"id":4,"jsonrpc":"2.0","result":{"id":1}})");
    CHECK(served(R"({"jsonrpc":"2.0","result":"\"id\":1","id":3})", "4") ==
          R"({"jsonrpc":"2.0","result":"\"id\":1","id":4})");
    CHECK(
        served(R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"no","data":{"id":1}},"id":3})",
               "4") ==
        R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"no","data":{"id":1}},"id":4})");
}

TEST_CASE("an id member whose name is escaped is still the id") {
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"\u0069d":3})", "4") ==
          R"({"jsonrpc":"2.0","result":1,"\u0069d":4})");
}

TEST_CASE("the id's span is found once and spliced without parsing") {
    BodyParser parser;
    const std::string stored = " {\"jsonrpc\":\"2.0\",\"result\":[1,2],\"id\":\"r\"}\n";
    auto span = locate_response_id(stored, parser);
    REQUIRE(span);
    CHECK(stored.substr(span->offset, span->length) == R"("r")");
    std::string out;
    splice_id(stored, *span, "12", out);
    CHECK(out == " {\"jsonrpc\":\"2.0\",\"result\":[1,2],\"id\":12}\n");
    splice_id(stored, *span, R"("longer id")", out);
    CHECK(out == " {\"jsonrpc\":\"2.0\",\"result\":[1,2],\"id\":\"longer id\"}\n");
}

TEST_CASE("what is not a JSON-RPC response is refused") {
    CHECK(served("", "1") == "!invalid-json");
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"id":1)", "1") == "!invalid-json");
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"id":1} x)", "1") == "!invalid-json");
    CHECK(served(R"([{"jsonrpc":"2.0","result":1,"id":1}])", "1") == "!rpc-not-a-response");
    CHECK(served(R"({"result":1,"id":1})", "1") == "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"1.0","result":1,"id":1})", "1") == "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"2.0","result":1})", "1") == "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"2.0","id":1})", "1") == "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"error":{},"id":1})", "1") ==
          "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"id":1,"id":2})", "1") == "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"result":2,"id":1})", "1") ==
          "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"id":{"a":1}})", "1") == "!rpc-not-a-response");
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"id":true})", "1") == "!rpc-not-a-response");
}

TEST_CASE("a notification's empty id gets no response") {
    CHECK(served(R"({"jsonrpc":"2.0","result":1,"id":1})", "") == "!rpc-id");
}

TEST_CASE("a batch response is split into its answers, in the origin's order") {
    BodyParser parser;
    const std::string body = R"([ {"jsonrpc":"2.0","result":{"id":9},"id":2},
      {"jsonrpc":"2.0","error":{"code":-32601,"message":"no such method"},"id":"one"},
      {"id":1.0,"jsonrpc":"2.0","result":null} ])";
    auto answers = split_batch_response(body, parser);
    REQUIRE(answers);
    REQUIRE(answers->size() == 3);
    CHECK((*answers)[0].text == R"({"jsonrpc":"2.0","result":{"id":9},"id":2})");
    CHECK((*answers)[0].raw_id() == "2");
    CHECK((*answers)[0].id_key == "2");
    CHECK_FALSE((*answers)[0].error);
    CHECK((*answers)[1].raw_id() == R"("one")");
    CHECK((*answers)[1].error);
    CHECK((*answers)[2].raw_id() == "1.0");
    CHECK((*answers)[2].id_key == "1");
    // An answer's id span is relative to its own text: ready for splice_id.
    std::string out;
    splice_id((*answers)[0].text, (*answers)[0].id, "5", out);
    CHECK(out == R"({"jsonrpc":"2.0","result":{"id":9},"id":5})");
}

TEST_CASE("a batch response that is not an array of responses is refused") {
    BodyParser parser;
    auto refused = [&](std::string_view body) {
        auto answers = split_batch_response(body, parser);
        REQUIRE_FALSE(answers);
        return std::string(name(answers.error()));
    };
    CHECK(refused("[]") == "rpc-not-a-response");
    CHECK(refused(R"({"jsonrpc":"2.0","result":1,"id":1})") == "rpc-not-a-response");
    CHECK(refused(R"([{"jsonrpc":"2.0","result":1,"id":1},{"jsonrpc":"2.0","id":2}])") ==
          "rpc-not-a-response");
    CHECK(refused(R"([{"jsonrpc":"2.0","result":1,"id":1},7])") == "rpc-not-a-response");
    CHECK(refused(R"([{"jsonrpc":"2.0","result":1,"id":1},)") == "invalid-json");
}
