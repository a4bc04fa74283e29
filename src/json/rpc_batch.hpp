#pragma once
// A JSON-RPC batch, call by call: which calls the store answers and which go to the origin
// (a sub-batch of the client's own call bytes), the origin's answers matched back to their
// calls by id, and the batch response put together in the client's order. Pure: the
// caller does the lookups and the I/O.
//
//   auto request = parse_rpc(body, parser);                 // json_rpc.hpp
//   auto plan = batch_plan(request->calls, [&](std::size_t i) { return lookup(i); });
//   if (plan.pass) ...forward `body` as it came, relay the answer, store nothing
//   if (!plan.forward_body.empty()) ...send it; answers = split_batch_response(reply)
//   auto match = match_answers(request->calls, plan, *answers);
//   ...per call: from the store with_id(stored, call.id), or answers[match.answer[i]].text
//   if (!assemble_batch(texts, out)) ...no body: every call was a notification
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_rpc.hpp"
#include "json/rpc_response.hpp"

namespace cachet::json {

enum class CallSource : std::uint8_t {
    store,   // answered from the store
    origin,  // in the forwarded sub-batch: not found, or a notification
};

struct BatchPlan {
    // Two calls bound for the origin share an id (null counts as an id): their answers
    // could not be told apart, and storing one under the other's key would serve the wrong
    // answer. The caller forwards the client's body as it came, relays the answer and
    // stores nothing; `source` and `forward_body` are then empty.
    bool pass = false;
    std::vector<CallSource> source;  // per call, in the client's order
    // The calls bound for the origin, as the client wrote them (their own ids), in the
    // client's order: "[c3,c5]". Always an array, even of one call: the client sent a
    // batch, so the origin takes batches, and its answer is always an array to split.
    // Empty when every call is answered from the store.
    std::string forward_body;
};

// The rest of the plan once each call's source is known (batch_plan's second half).
BatchPlan complete_plan(std::span<const RpcCall> calls, std::vector<CallSource> source);

// The plan for `calls` (a batch from parse_rpc). is_cached(i) says whether the store holds
// the answer to calls[i] (the caller builds the key, looks it up and keeps what it found,
// so an entry evicted meanwhile cannot leave a call unanswered); it is asked once for each
// call that expects an answer, in order. A notification always goes to the origin: it
// has no answer to store, and the origin may act on it.
template <class IsCached>
BatchPlan batch_plan(std::span<const RpcCall> calls, IsCached&& is_cached) {
    std::vector<CallSource> source;
    source.reserve(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const bool stored = !calls[i].notification() && is_cached(i);
        source.push_back(stored ? CallSource::store : CallSource::origin);
    }
    return complete_plan(calls, std::move(source));
}

constexpr std::size_t no_answer = std::numeric_limits<std::size_t>::max();

struct AnswerMatch {
    // Per call: the index of its answer in `answers`, or no_answer (answered from the
    // store, a notification, or a call the origin left unanswered).
    std::vector<std::size_t> answer;
    // Answers that answer no forwarded call: an id no forwarded call has (an error with
    // id null, say), or a second answer to one call. Relay or drop; never store them.
    std::vector<std::size_t> unmatched;
};

// Matches the origin's answers (split_batch_response, in any order) to the forwarded calls
// by canonical id. `plan` is batch_plan's for `calls`, not a pass.
AnswerMatch match_answers(std::span<const RpcCall> calls, const BatchPlan& plan,
                          std::span<const RpcAnswer> answers);

// Replaces `out`'s content with the batch response "[a1,a2,...]": the answers' texts in
// the client's order, as given. Returns false, `out` empty, when there is no answer at all
// (every call a notification): JSON-RPC then wants nothing returned, not an empty array,
// so the caller sends no body.
bool assemble_batch(std::span<const std::string_view> answers, std::string& out);

}  // namespace cachet::json
