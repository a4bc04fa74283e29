#pragma once
// Why a body could not be keyed by its JSON. Every value has a name (for counters and logs)
// and a static one-line description. A caller that gets one keys the raw bytes instead
// (canonical JSON) or forwards the request untouched (JSON-RPC), and counts the name.
#include <cstdint>
#include <string_view>

namespace cachet::json {

enum class JsonError : std::uint8_t {
    invalid,               // not exactly one JSON text: syntax, UTF-8, escapes, trailing bytes
    bad_number,            // a number no int64, uint64 or double holds (2^64, 1e400), or malformed
    too_large,             // longer than the parser's byte limit
    too_deep,              // nested deeper than the parser's depth limit
    too_many_pointers,     // more ignored pointers than one walk can follow (kMaxPointers)
    rpc_not_a_call,        // a JSON-RPC request (or batch element) that is not an object
    rpc_empty_batch,       // "[]": the spec makes it an Invalid Request
    rpc_version,           // "jsonrpc" missing or not "2.0"
    rpc_method,            // "method" missing or not a string
    rpc_params,            // "params" neither an object nor an array
    rpc_id,                // "id" neither a string, a number nor null
    rpc_duplicate_member,  // jsonrpc, method, params, id, result or error given twice
    rpc_not_a_response,    // not a JSON-RPC response object, or a batch response not an array
};

constexpr std::string_view name(JsonError e) noexcept {
    switch (e) {
    case JsonError::invalid: return "invalid-json";
    case JsonError::bad_number: return "bad-number";
    case JsonError::too_large: return "too-large";
    case JsonError::too_deep: return "too-deep";
    case JsonError::too_many_pointers: return "too-many-pointers";
    case JsonError::rpc_not_a_call: return "rpc-not-a-call";
    case JsonError::rpc_empty_batch: return "rpc-empty-batch";
    case JsonError::rpc_version: return "rpc-version";
    case JsonError::rpc_method: return "rpc-method";
    case JsonError::rpc_params: return "rpc-params";
    case JsonError::rpc_id: return "rpc-id";
    case JsonError::rpc_duplicate_member: return "rpc-duplicate-member";
    case JsonError::rpc_not_a_response: return "rpc-not-a-response";
    }
    return "unknown";
}

constexpr std::string_view describe(JsonError e) noexcept {
    switch (e) {
    case JsonError::invalid: return "body is not one valid JSON text";
    case JsonError::bad_number: return "body holds a number outside int64, uint64 and double";
    case JsonError::too_large: return "JSON body is larger than the limit";
    case JsonError::too_deep: return "JSON body is nested deeper than the limit";
    case JsonError::too_many_pointers: return "too many ignored JSON pointers";
    case JsonError::rpc_not_a_call: return "JSON-RPC call is not an object";
    case JsonError::rpc_empty_batch: return "JSON-RPC batch is empty";
    case JsonError::rpc_version: return "JSON-RPC call lacks \"jsonrpc\": \"2.0\"";
    case JsonError::rpc_method: return "JSON-RPC call lacks a string \"method\"";
    case JsonError::rpc_params: return "JSON-RPC \"params\" is neither an object nor an array";
    case JsonError::rpc_id: return "JSON-RPC \"id\" is neither a string, a number nor null";
    case JsonError::rpc_duplicate_member: return "JSON-RPC object repeats a member";
    case JsonError::rpc_not_a_response: return "not a JSON-RPC response";
    }
    return "unknown JSON error";
}

}  // namespace cachet::json
