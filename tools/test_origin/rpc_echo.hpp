#pragma once
// The test origin's JSON-RPC 2.0 server (rpc=echo, response_plan.hpp): each call is answered
// with its own method and params as its result, so a test can tell every answer apart and
// see which calls reached the origin. A batch is answered in reverse order (JSON-RPC lets
// a server answer in any order: it proves cachet matches answers by id), notifications get
// no answer. A small scanner of its own, not a JSON parser: it takes what tests send.
#include <optional>
#include <string>
#include <string_view>

namespace cachet::tools {

// The answer body to a call or a batch: {"jsonrpc":"2.0","result":{"method":M,
// "params":P},"id":I} per call with an id (P null when absent), a batch's in an array;
// empty when no call has an id (the HTTP answer then has no body). nullopt: not a call
// object or an array of them.
std::optional<std::string> rpc_echo(std::string_view body);

}  // namespace cachet::tools
