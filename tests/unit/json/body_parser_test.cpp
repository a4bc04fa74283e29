#include "json/body_parser.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet::json;

TEST_CASE("a parser's element reads the body it parsed, which need not outlive the call") {
    BodyParser parser;
    std::string body = R"({"a":"text"})";
    auto root = parser.parse(body);
    REQUIRE(root);
    body.assign(body.size(), 'x');  // simdjson parsed its own copy
    std::string_view a;
    REQUIRE((*root)["a"].get(a) == simdjson::SUCCESS);
    CHECK(a == "text");
}

TEST_CASE("a parser's limits are its own") {
    BodyParser parser({.max_bytes = 100, .max_depth = 3});
    CHECK(parser.limits().max_bytes == 100);
    CHECK(parser.parse("[[[1]]]"));
    CHECK(parser.parse(R"({"a":{"b":{"c":1}}})"));
    CHECK(parser.parse("[[[[1]]]]").error() == JsonError::too_deep);
    CHECK(parser.parse(R"({"a":{"b":{"c":{"d":1}}}})").error() == JsonError::too_deep);
    CHECK(parser.parse(std::string(101, ' ')).error() == JsonError::too_large);
    CHECK(parser.parse(" 1 ").has_value());
}

TEST_CASE("simdjson's errors map to the reasons cachet counts") {
    BodyParser parser;
    CHECK(parser.parse("").error() == JsonError::invalid);
    CHECK(parser.parse("{").error() == JsonError::invalid);
    CHECK(parser.parse("[1e400]").error() == JsonError::bad_number);
    CHECK(parser.parse("[1] [2]").error() == JsonError::invalid);
    CHECK(from_simdjson(simdjson::CAPACITY) == JsonError::too_large);
    CHECK(from_simdjson(simdjson::DEPTH_ERROR) == JsonError::too_deep);
    CHECK(from_simdjson(simdjson::UTF8_ERROR) == JsonError::invalid);
}

TEST_CASE("a parser grows past its first buffers and keeps its depth limit") {
    BodyParser parser({.max_bytes = 1 << 20, .max_depth = 4});
    std::string big = "[\"" + std::string(100000, 'x') + "\"]";
    CHECK(parser.parse(big));
    CHECK(parser.parse("[[[[[[]]]]]]").error() == JsonError::too_deep);
    CHECK(parser.parse("[[[[1]]]]"));
}

TEST_CASE("every reason has a name and a description") {
    for (int e = 0; e <= static_cast<int>(JsonError::rpc_not_a_response); ++e) {
        const auto error = static_cast<JsonError>(e);
        CHECK(name(error) != "unknown");
        CHECK(describe(error) != "unknown JSON error");
    }
}
