#pragma once
// JSON-RPC 2.0 requests (https://www.jsonrpc.org/specification), read for keying: a call's
// cache key is its method and its canonical params, never its id, so two clients asking
// the same thing with different ids share one stored answer (rpc_response.hpp gives each
// its own id back). Batches are planned call by call in rpc_batch.hpp.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "json/body_parser.hpp"
#include "json/json_error.hpp"
#include "json/json_pointer.hpp"

namespace cachet::json {

struct RpcCall {
    std::string method;     // unescaped
    std::string params;     // canonical JSON of "params" (canonical.hpp); empty when absent
    std::string_view id;    // the id's JSON text as sent: "7", "\"a\"", "null"; empty for a
                            // notification (a call without an id, which gets no answer)
    std::string id_key;     // the id's canonical JSON ("1.0" and "1" give "1"): answers are
                            // matched to calls by it; empty for a notification
    std::string_view text;  // the call's own bytes in the body, for a forwarded sub-batch
    bool notification() const noexcept { return id.empty(); }
};

struct RpcRequest {
    bool batch = false;          // the body was an array of calls (perhaps of one)
    std::vector<RpcCall> calls;  // in the body's order; exactly one when !batch
};

// A single call or a batch. Each call needs "jsonrpc": "2.0" and a string "method";
// "params", when present, is an object or an array; "id", when present, a string, a
// number or null; none of the four may be given twice; other members are not looked at.
// Any failure, in any call of a batch, is an error: cachet then forwards the request as it
// came and keys nothing. `ignored` pointers are relative to each call object, so
// "/params/traceId" leaves that member out of every call's params (at most kMaxPointers).
// The views (id, text) point into `body`: valid while it is. Allocates the calls and
// their strings: a miss path's cost next to the origin's answer.
tl::expected<RpcRequest, JsonError> parse_rpc(std::string_view body, BodyParser& parser,
                                              std::span<const JsonPointer> ignored = {});

// Appends the call's cache key part: its method as a JSON string, then its params,
// e.g. "getUser"{"id":7}. The quoted method ends where params begin, so no two calls share
// a key part unless they share method and params. Never the id.
void append_call_key(const RpcCall& call, std::string& out);

}  // namespace cachet::json
