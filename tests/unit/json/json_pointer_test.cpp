#include "json/json_pointer.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cachet::json;

namespace {

std::vector<std::string> tokens_of(std::string_view text) {
    auto pointer = parse_json_pointer(text);
    REQUIRE(pointer);
    CHECK(pointer->text == text);
    return pointer->tokens;
}

std::string error_of(std::string_view text) {
    auto pointer = parse_json_pointer(text);
    REQUIRE_FALSE(pointer);
    return pointer.error();
}

using Tokens = std::vector<std::string>;

}  // namespace

TEST_CASE("a pointer is split into its reference tokens") {
    CHECK(tokens_of("/id") == Tokens{"id"});
    CHECK(tokens_of("/meta/requestId") == Tokens{"meta", "requestId"});
    CHECK(tokens_of("/items/0/ts") == Tokens{"items", "0", "ts"});
}

TEST_CASE("the empty pointer names the whole document and has no tokens") {
    CHECK(tokens_of("").empty());
}

TEST_CASE("\"/\" names the member whose name is empty, and empty tokens are kept") {
    CHECK(tokens_of("/") == Tokens{""});
    CHECK(tokens_of("//a/") == Tokens{"", "a", ""});
}

TEST_CASE("~1 is a slash and ~0 a tilde, unescaped once and in that order (RFC 6901 §4)") {
    CHECK(tokens_of("/a~1b") == Tokens{"a/b"});
    CHECK(tokens_of("/m~0n") == Tokens{"m~n"});
    CHECK(tokens_of("/~01") == Tokens{"~1"});  // not "/"
    CHECK(tokens_of("/~10") == Tokens{"/0"});
}

TEST_CASE("other bytes are taken as they are, escapes of JSON strings included") {
    CHECK(tokens_of("/a b/%20/\xc3\xa9") == Tokens{"a b", "%20", "\xc3\xa9"});
}

TEST_CASE("a pointer that does not start with a slash is refused with one line to show") {
    CHECK(error_of("meta") == R"(json pointer "meta": must start with '/' (like "/meta"))");
    CHECK(error_of("#/a").starts_with("json pointer \"#/a\": must start with '/'"));
}

TEST_CASE("a tilde that is not ~0 or ~1 is refused") {
    const std::string reason = "'~' must be followed by 0 (for '~') or 1 (for '/')";
    CHECK(error_of("/a~2") == "json pointer \"/a~2\": " + reason);
    CHECK(error_of("/a~") == "json pointer \"/a~\": " + reason);
    CHECK(error_of("/a~/b") == "json pointer \"/a~/b\": " + reason);
}

TEST_CASE("an error message stays on one line whatever the pointer holds") {
    auto message = error_of("x\n\"y");
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.starts_with(R"(json pointer "x\n\"y": )"));
}

TEST_CASE("an array index token is 0 or digits without a leading zero") {
    CHECK(names_index("0", 0));
    CHECK(names_index("7", 7));
    CHECK(names_index("12", 12));
    CHECK_FALSE(names_index("12", 1));
    CHECK_FALSE(names_index("01", 1));
    CHECK_FALSE(names_index("00", 0));
    CHECK_FALSE(names_index("-", 0));
    CHECK_FALSE(names_index("", 0));
    CHECK_FALSE(names_index("+1", 1));
    CHECK_FALSE(names_index("1a", 1));
    CHECK_FALSE(names_index(" 1", 1));
    CHECK_FALSE(names_index("99999999999999999999999", 0));
}
