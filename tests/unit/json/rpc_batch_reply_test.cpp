#include "json/rpc_batch_reply.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "rpc_fixtures.hpp"

using namespace cachet::json;
using cachet::json::testing::batch;

namespace {

// What the store holds for a call: an answer with the id of the call that filled it.
StoredAnswer stored_answer(const std::string& body, BodyParser& parser) {
    auto id = locate_response_id(body, parser);
    REQUIRE(id);
    return {body, *id};
}

const std::string three_calls = R"([{"jsonrpc":"2.0","method":"a","id":1},
{"jsonrpc":"2.0","method":"b","id":"two"},
{"jsonrpc":"2.0","method":"note"},
{"jsonrpc":"2.0","method":"c","id":3}])";

}  // namespace

TEST_CASE("a batch reply puts stored answers (with the caller's ids) and the origin's in order") {
    BodyParser parser;
    auto request = batch(three_calls, parser);
    const std::set<std::size_t> cached{0, 1};
    auto plan = batch_plan(request.calls, [&](std::size_t i) { return cached.contains(i); });
    REQUIRE(plan.forward_body == R"([{"jsonrpc":"2.0","method":"note"},)"
                                 R"({"jsonrpc":"2.0","method":"c","id":3}])");
    const std::string a = R"({"jsonrpc":"2.0","result":"A","id":70})";
    const std::string b = R"({"id":"old","jsonrpc":"2.0","result":{"id":"inner"}})";
    std::vector<StoredAnswer> stored(request.calls.size());
    stored[0] = stored_answer(a, parser);
    stored[1] = stored_answer(b, parser);
    const std::string reply = R"([{"jsonrpc":"2.0","result":"C","id":3}])";
    auto answers = split_batch_response(reply, parser);
    REQUIRE(answers);
    auto match = match_answers(request.calls, plan, *answers);
    std::string out;
    REQUIRE(batch_reply(request.calls, plan, stored, *answers, match, out));
    CHECK(out == R"([{"jsonrpc":"2.0","result":"A","id":1},)"
                 R"({"id":"two","jsonrpc":"2.0","result":{"id":"inner"}},)"
                 R"({"jsonrpc":"2.0","result":"C","id":3}])");
}

TEST_CASE("a batch reply wholly from the store needs no origin answers") {
    BodyParser parser;
    auto request = batch(R"([{"jsonrpc":"2.0","method":"a","id":5},
                            {"jsonrpc":"2.0","method":"a","id":6}])",
                         parser);
    auto plan = batch_plan(request.calls, [](std::size_t) { return true; });
    REQUIRE(plan.forward_body.empty());
    const std::string a = R"({"jsonrpc":"2.0","result":"A","id":1})";
    std::vector<StoredAnswer> stored(2, stored_answer(a, parser));
    std::string out;
    REQUIRE(batch_reply(request.calls, plan, stored, {}, {}, out));
    CHECK(out ==
          R"([{"jsonrpc":"2.0","result":"A","id":5},{"jsonrpc":"2.0","result":"A","id":6}])");
}

TEST_CASE("a batch reply relays the origin's unmatched answers last, and skips unanswered calls") {
    BodyParser parser;
    auto request = batch(R"([{"jsonrpc":"2.0","method":"a","id":1},
                            {"jsonrpc":"2.0","method":"b","id":2}])",
                         parser);
    auto plan = batch_plan(request.calls, [](std::size_t) { return false; });
    const std::string reply =
        R"([{"jsonrpc":"2.0","error":{"code":-32600,"message":"x"},"id":null},)"
        R"({"jsonrpc":"2.0","result":"B","id":2}])";
    auto answers = split_batch_response(reply, parser);
    REQUIRE(answers);
    auto match = match_answers(request.calls, plan, *answers);
    std::vector<StoredAnswer> stored(request.calls.size());
    std::string out;
    REQUIRE(batch_reply(request.calls, plan, stored, *answers, match, out));
    CHECK(out == R"([{"jsonrpc":"2.0","result":"B","id":2},)"
                 R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"x"},"id":null}])");
}

TEST_CASE("a batch of notifications has no reply body") {
    BodyParser parser;
    auto request =
        batch(R"([{"jsonrpc":"2.0","method":"n"},{"jsonrpc":"2.0","method":"m"}])", parser);
    auto plan = batch_plan(request.calls, [](std::size_t) { return true; });
    std::vector<StoredAnswer> stored(request.calls.size());
    std::string out = "left over";
    CHECK_FALSE(batch_reply(request.calls, plan, stored, {}, {}, out));
    CHECK(out.empty());
}
