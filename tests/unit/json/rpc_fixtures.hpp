#pragma once
// What the JSON-RPC batch tests share: a batch parsed, or the test stops there.
#include <doctest/doctest.h>

#include <string_view>

#include "json/json_rpc.hpp"

namespace cachet::json::testing {

inline RpcRequest batch(std::string_view body, BodyParser& parser) {
    auto request = parse_rpc(body, parser);
    REQUIRE(request);
    REQUIRE(request->batch);
    return *std::move(request);
}

}  // namespace cachet::json::testing
