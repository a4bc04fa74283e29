#include "json/rpc_batch.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "rpc_fixtures.hpp"

using namespace cachet::json;
using cachet::json::testing::batch;

namespace {

// A plan where the calls at `cached` positions are in the store.
BatchPlan plan_for(const RpcRequest& request, std::set<std::size_t> cached,
                   std::vector<std::size_t>* asked = nullptr) {
    return batch_plan(request.calls, [&](std::size_t i) {
        if (asked) asked->push_back(i);
        return cached.contains(i);
    });
}

const std::string five_calls = R"([{"jsonrpc":"2.0","method":"a","id":1},
{"jsonrpc":"2.0","method":"b","id":2},
{"jsonrpc":"2.0","method":"c","id":"3"},
{"jsonrpc":"2.0","method":"log"},
{"jsonrpc":"2.0","method":"e","params":[1],"id":5}])";

using Sources = std::vector<CallSource>;
constexpr auto store = CallSource::store;
constexpr auto origin = CallSource::origin;

}  // namespace

TEST_CASE("the calls not in the store are forwarded as a sub-batch of their own bytes") {
    BodyParser parser;
    auto request = batch(five_calls, parser);
    std::vector<std::size_t> asked;
    auto plan = plan_for(request, {0, 1}, &asked);
    CHECK_FALSE(plan.pass);
    CHECK(plan.source == Sources{store, store, origin, origin, origin});
    CHECK(plan.forward_body == R"([{"jsonrpc":"2.0","method":"c","id":"3"},)"
                               R"({"jsonrpc":"2.0","method":"log"},)"
                               R"({"jsonrpc":"2.0","method":"e","params":[1],"id":5}])");
    CHECK(asked == std::vector<std::size_t>{0, 1, 2, 4});  // never for the notification
}

TEST_CASE("a notification goes to the origin even when all else is in the store") {
    BodyParser parser;
    auto request = batch(five_calls, parser);
    auto plan = plan_for(request, {0, 1, 2, 3, 4});
    CHECK(plan.source == Sources{store, store, store, origin, store});
    CHECK(plan.forward_body == R"([{"jsonrpc":"2.0","method":"log"}])");
}

TEST_CASE("when the store answers every call, nothing is forwarded") {
    BodyParser parser;
    auto request = batch(R"([{"jsonrpc":"2.0","method":"a","id":1},
                             {"jsonrpc":"2.0","method":"a","id":2}])",
                         parser);
    auto plan = plan_for(request, {0, 1});
    CHECK(plan.source == Sources{store, store});
    CHECK(plan.forward_body.empty());
}

TEST_CASE("one missing call is still forwarded as a batch of one") {
    BodyParser parser;
    auto request = batch(R"([{"jsonrpc":"2.0","method":"a","id":1},
                             {"jsonrpc":"2.0","method":"b","id":2},
                             {"jsonrpc":"2.0","method":"c","id":3}])",
                         parser);
    auto plan = plan_for(request, {0, 2});
    CHECK(plan.source == Sources{store, origin, store});
    CHECK(plan.forward_body == R"([{"jsonrpc":"2.0","method":"b","id":2}])");
}

TEST_CASE("forwarded calls that share an id make the batch a pass") {
    BodyParser parser;
    auto request = batch(R"([{"jsonrpc":"2.0","method":"a","id":1},
                             {"jsonrpc":"2.0","method":"b","id":1.0},
                             {"jsonrpc":"2.0","method":"c","id":2}])",
                         parser);
    auto plan = plan_for(request, {});
    CHECK(plan.pass);
    CHECK(plan.source.empty());
    CHECK(plan.forward_body.empty());
    // Shared by a call from the store and a forwarded one: answers still match for sure.
    auto mixed = plan_for(request, {0});
    CHECK_FALSE(mixed.pass);
    CHECK(mixed.source == Sources{store, origin, origin});
}

TEST_CASE("two null ids bound for the origin are shared ids too; notifications have none") {
    BodyParser parser;
    auto nulls = batch(R"([{"jsonrpc":"2.0","method":"a","id":null},
                           {"jsonrpc":"2.0","method":"b","id":null}])",
                       parser);
    CHECK(plan_for(nulls, {}).pass);
    auto notes =
        batch(R"([{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}])", parser);
    CHECK_FALSE(plan_for(notes, {}).pass);
}

TEST_CASE("the origin's answers, in any order, are matched to their calls by id") {
    BodyParser parser;
    auto request = batch(five_calls, parser);
    auto plan = plan_for(request, {0});
    // The origin answers 5, "3" and 2 in that order, with ids spelled its own way.
    const std::string reply = R"([{"jsonrpc":"2.0","result":"e","id":5.0},
      {"jsonrpc":"2.0","result":"c","id":"\u0033"},
      {"jsonrpc":"2.0","result":"b","id":2}])";
    BodyParser reply_parser;
    auto answers = split_batch_response(reply, reply_parser);
    REQUIRE(answers);
    auto match = match_answers(request.calls, plan, *answers);
    CHECK(match.answer == std::vector<std::size_t>{no_answer, 2, 1, no_answer, 0});
    CHECK(match.unmatched.empty());
}

TEST_CASE("answers that answer no forwarded call are set apart, never matched") {
    BodyParser parser;
    auto request = batch(five_calls, parser);
    auto plan = plan_for(request, {0});
    const std::string reply = R"([{"jsonrpc":"2.0","result":"b","id":2},
      {"jsonrpc":"2.0","result":"a","id":1},
      {"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null},
      {"jsonrpc":"2.0","result":"b again","id":2},
      {"jsonrpc":"2.0","result":"?","id":99}])";
    auto answers = split_batch_response(reply, parser);
    REQUIRE(answers);
    auto match = match_answers(request.calls, plan, *answers);
    // Call 0 was answered from the store: the origin's answer to id 1 is not taken.
    CHECK(match.answer == std::vector<std::size_t>{no_answer, 0, no_answer, no_answer, no_answer});
    CHECK(match.unmatched == std::vector<std::size_t>{1, 2, 3, 4});
}

TEST_CASE("a pass's answers match no call") {
    BodyParser parser;
    auto request = batch(R"([{"jsonrpc":"2.0","method":"a","id":1},
                             {"jsonrpc":"2.0","method":"b","id":1}])",
                         parser);
    auto plan = plan_for(request, {});
    REQUIRE(plan.pass);
    auto answers = split_batch_response(R"([{"jsonrpc":"2.0","result":1,"id":1}])", parser);
    REQUIRE(answers);
    auto match = match_answers(request.calls, plan, *answers);
    CHECK(match.answer == std::vector<std::size_t>{no_answer, no_answer});
    CHECK(match.unmatched == std::vector<std::size_t>{0});
}

TEST_CASE("a batch response is assembled in the caller's order") {
    std::string out = "left over";
    const std::vector<std::string_view> texts{R"({"id":1})", R"({"id":2})"};
    CHECK(assemble_batch(texts, out));
    CHECK(out == R"([{"id":1},{"id":2}])");
    const std::vector<std::string_view> one{R"({"id":1})"};
    CHECK(assemble_batch(one, out));
    CHECK(out == R"([{"id":1}])");
}

TEST_CASE("no answers (every call a notification) assemble to nothing, not []") {
    std::string out = "left over";
    CHECK_FALSE(assemble_batch({}, out));
    CHECK(out.empty());
}

TEST_CASE("a batch round trip: store and origin answers in the caller's order, own ids") {
    BodyParser parser;
    const std::string body = R"([{"jsonrpc":"2.0","method":"get","params":{"k":"x"},"id":"c1"},
      {"jsonrpc":"2.0","method":"get","params":{"k":"y"},"id":"c2"},
      {"jsonrpc":"2.0","method":"ping"},
      {"jsonrpc":"2.0","method":"get","params":{"k":"z"},"id":"c4"}])";
    auto request = batch(body, parser);
    // The store holds get x, recorded for another client under id 77.
    const std::string stored_x = R"({"jsonrpc":"2.0","result":"X","id":77})";
    std::string key_x;
    append_call_key(request.calls[0], key_x);
    auto plan = batch_plan(request.calls, [&](std::size_t i) {
        std::string key;
        append_call_key(request.calls[i], key);
        return key == key_x;
    });
    REQUIRE_FALSE(plan.pass);
    // The origin answers the sub-batch in its own order; the notification gets nothing.
    const std::string reply = R"([{"jsonrpc":"2.0","result":"Z","id":"c4"},
                                  {"jsonrpc":"2.0","result":"Y","id":"c2"}])";
    auto answers = split_batch_response(reply, parser);
    REQUIRE(answers);
    auto match = match_answers(request.calls, plan, *answers);
    std::vector<std::string> owned;  // with_id's outputs
    owned.reserve(request.calls.size());
    std::vector<std::string_view> texts;
    for (std::size_t i = 0; i < request.calls.size(); ++i) {
        if (plan.source[i] == CallSource::store) {
            REQUIRE(with_id(stored_x, request.calls[i].id, owned.emplace_back(), parser));
            texts.push_back(owned.back());
        } else if (match.answer[i] != no_answer) {
            texts.push_back((*answers)[match.answer[i]].text);
        }
    }
    std::string out;
    REQUIRE(assemble_batch(texts, out));
    CHECK(out == R"([{"jsonrpc":"2.0","result":"X","id":"c1"},)"
                 R"({"jsonrpc":"2.0","result":"Y","id":"c2"},)"
                 R"({"jsonrpc":"2.0","result":"Z","id":"c4"}])");
}
