#include "json/pointer_cursor.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cachet::json;

namespace {

std::vector<JsonPointer> pointers(std::vector<std::string> texts) {
    std::vector<JsonPointer> parsed;
    for (const auto& text : texts) {
        auto pointer = parse_json_pointer(text);
        REQUIRE(pointer);
        parsed.push_back(*pointer);
    }
    return parsed;
}

}  // namespace

TEST_CASE("a cursor names a value when a pointer's tokens lead exactly to it") {
    auto set = pointers({"/meta/requestId", "/items/1"});
    PointerCursor root(set);
    CHECK_FALSE(root.names_this());
    CHECK_FALSE(root.member("meta").names_this());
    CHECK(root.member("meta").member("requestId").names_this());
    CHECK_FALSE(root.member("meta").member("other").names_this());
    CHECK_FALSE(root.member("items").element(0).names_this());
    CHECK(root.member("items").element(1).names_this());
    CHECK(root.member("items").member("1").names_this());  // "1" names a member too
}

TEST_CASE("below a named value, or off every pointer's path, the cursor is idle") {
    auto set = pointers({"/a/b"});
    PointerCursor root(set);
    CHECK_FALSE(root.idle());
    CHECK(root.member("x").idle());
    CHECK(root.member("a").member("b").member("c").idle());
    CHECK_FALSE(root.member("a").member("b").member("c").names_this());
}

TEST_CASE("the empty pointer names the root only") {
    auto set = pointers({""});
    PointerCursor root(set);
    CHECK(root.names_this());
    CHECK_FALSE(root.member("a").names_this());
    CHECK(root.member("a").idle());
}

TEST_CASE("a default cursor follows nothing") {
    PointerCursor none;
    CHECK(none.idle());
    CHECK_FALSE(none.names_this());
    CHECK_FALSE(none.member("a").names_this());
}

TEST_CASE("a cursor follows all of kMaxPointers pointers") {
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < kMaxPointers; ++i) texts.push_back("/k" + std::to_string(i));
    auto set = pointers(texts);
    PointerCursor root(set);
    CHECK(root.member("k0").names_this());
    CHECK(root.member("k63").names_this());
    CHECK_FALSE(root.member("k64").names_this());
}
