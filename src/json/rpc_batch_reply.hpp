#pragma once
// The body cachet answers a JSON-RPC batch with, once each call's answer is known: the
// store's answers with the caller's ids spliced in, the origin's as it sent them, in the
// client's order (rpc_batch.hpp's plan and match). Pure: the caller looked the stored
// answers up and split the origin's reply.
#include <span>
#include <string>
#include <string_view>

#include "json/json_rpc.hpp"
#include "json/rpc_batch.hpp"
#include "json/rpc_response.hpp"

namespace cachet::json {

// A stored answer to one call: the entry's body and where its id lies in it
// (locate_response_id, checked when the store's answer was taken for the call).
struct StoredAnswer {
    std::string_view body;
    IdSpan id;
};

// Replaces `out`'s content with the batch reply: per call, in the client's order, its
// stored answer (`stored[i]`, for a call whose plan source is the store) with the call's
// own id, or the origin's answer matched to it (`answers[match.answer[i]]`) as sent; then
// the origin's answers that match no call, in its order (an error with id null says
// something to the client; they are never stored). A notification, or a call the origin
// left unanswered, has no answer. `stored` has one element per call; `answers` and `match`
// are empty when nothing went to the origin. False, `out` empty: no answer at all (every
// call a notification), so the reply has no body.
bool batch_reply(std::span<const RpcCall> calls, const BatchPlan& plan,
                 std::span<const StoredAnswer> stored, std::span<const RpcAnswer> answers,
                 const AnswerMatch& match, std::string& out);

}  // namespace cachet::json
