#pragma once
// JSON-RPC 2.0 responses as cachet stores and serves them. A stored answer carries the id
// of the call that filled it; each caller must get its own id back, so the answer is
// served with its top-level "id" value swapped for the caller's, every other byte as the
// origin sent it. An origin's batch response is split into its answers, which may come in
// any order (the spec allows it), each with its id to match it to its call.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "json/body_parser.hpp"
#include "json/json_error.hpp"

namespace cachet::json {

// Bytes [offset, offset + length) of a response: its top-level id's value.
struct IdSpan {
    std::size_t offset = 0;
    std::size_t length = 0;
};

// One answer of a batch response.
struct RpcAnswer {
    std::string_view text;  // the response object's bytes in the batch body
    IdSpan id;              // its id's value, within `text`
    std::string id_key;     // the id's canonical JSON: what RpcCall::id_key is matched to
    bool error = false;     // an "error" answer rather than a "result"
    std::string_view raw_id() const noexcept { return text.substr(id.offset, id.length); }
};

// Checks that `response` is one JSON-RPC 2.0 response object: "jsonrpc": "2.0", an "id"
// that is a string, a number or null, exactly one of "result" and "error", none of them
// given twice (other members are kept and not looked at); and finds where its top-level
// id's value is. An "id" inside "result" or "error" is not the one. Best done once, when the
// response is stored: keep the span with it and serve with splice_id, which parses nothing.
tl::expected<IdSpan, JsonError> locate_response_id(std::string_view response, BodyParser& parser);

// Replaces `out`'s content with `response` whose bytes at `id` are replaced by `raw_id`.
// `id` comes from locate_response_id on these bytes; `raw_id` is a caller's RpcCall::id
// (JSON text of a string, number or null, not empty). No parse, one copy.
void splice_id(std::string_view response, IdSpan id, std::string_view raw_id, std::string& out);

// locate_response_id, then splice_id. Fails with rpc_not_a_response (or the parse's error)
// when `response` is not a response, and with rpc_id when `raw_id` is empty (a notification
// gets no answer); `out` is then left empty.
tl::expected<void, JsonError> with_id(std::string_view response, std::string_view raw_id,
                                      std::string& out, BodyParser& parser);

// An origin's answer to a batch: a non-empty array of response objects, each checked as
// locate_response_id does, in the origin's order. Views point into `body`.
tl::expected<std::vector<RpcAnswer>, JsonError> split_batch_response(std::string_view body,
                                                                     BodyParser& parser);

}  // namespace cachet::json
