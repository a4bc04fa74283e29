#include "json/canonical.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cachet::json;

namespace {

// The canonical form, or "!" and the error's name.
std::string canon(std::string_view body, const std::vector<std::string>& ignored = {},
                  ParseLimits limits = {}) {
    std::vector<JsonPointer> pointers;
    for (const auto& text : ignored) {
        auto pointer = parse_json_pointer(text);
        REQUIRE(pointer);
        pointers.push_back(*pointer);
    }
    BodyParser parser(limits);
    std::string out = "left over";
    auto written = canonical_json(body, pointers, out, parser);
    if (!written) {
        CHECK(out.empty());
        return "!" + std::string(name(written.error()));
    }
    return out;
}

std::string nested(std::size_t depth, std::string_view open = "[", std::string_view inner = "",
                   std::string_view close = "]") {
    std::string body;
    for (std::size_t i = 0; i < depth; ++i) body += open;
    body += inner;
    for (std::size_t i = 0; i < depth; ++i) body += close;
    return body;
}

}  // namespace

TEST_CASE("members are sorted by key, whitespace goes, arrays keep their order") {
    CHECK(canon(R"({"b": 1, "a": [3, 1, 2]})") == R"({"a":[3,1,2],"b":1})");
    CHECK(canon(" {\n\t\"a\" :\r\n 1 } \n") == R"({"a":1})");
    CHECK(canon(R"({"z":{"y":1,"x":2},"a":[{"d":1,"c":2}]})") ==
          R"({"a":[{"c":2,"d":1}],"z":{"x":2,"y":1}})");
    CHECK(canon("{}") == "{}");
    CHECK(canon("[ ]") == "[]");
    CHECK(canon(R"({"a":{},"b":[]})") == R"({"a":{},"b":[]})");
}

TEST_CASE("two bodies differing only in member order give one canonical form") {
    CHECK(canon(R"({"user":7,"fields":["name","email"],"opts":{"deep":true,"limit":10}})") ==
          canon(R"({"opts":{"limit":10,"deep":true},"fields":["name","email"],"user":7})"));
    CHECK(canon(R"([1,2])") != canon(R"([2,1])"));
}

TEST_CASE("keys sort by the bytes of their unescaped UTF-8") {
    CHECK(canon(R"({"a":1,"B":2,"aa":3,"é":4,"z":5,"":6})") ==
          R"({"":6,"B":2,"a":1,"aa":3,"z":5,"é":4})");
    CHECK(canon(R"({"\u0062":1,"a":2})") == R"({"a":2,"b":1})");
}

TEST_CASE("a top-level scalar is a document too") {
    CHECK(canon(R"( "x" )") == R"("x")");
    CHECK(canon("true") == "true");
    CHECK(canon("false") == "false");
    CHECK(canon("null") == "null");
    CHECK(canon("1.50") == "1.5");
}

TEST_CASE("numbers that are one value in different spellings give one spelling") {
    for (auto spelling : {"1", "1.0", "1e0", "1E0", "1e+0", "0.1e1", "100e-2", "10E-1",
                          "1.000000000000000000000000001"}) {
        CAPTURE(spelling);
        CHECK(canon(spelling) == "1");
    }
    CHECK(canon("[-0, -0.0, 0e5, 0.0]") == "[0,0,0,0]");
    CHECK(canon("[2.50, 25e-1, 0.25e1]") == "[2.5,2.5,2.5]");
    CHECK(canon("[1e16, 10000000000000000]") == "[10000000000000000,10000000000000000]");
    CHECK(canon("[1e2, 100.0, 100]") == "[100,100,100]");
    CHECK(canon("[0.1, 1e-1, 0.10]") == "[0.1,0.1,0.1]");
    CHECK(canon("1.5e300") == "1.5e+300");
}

TEST_CASE("integers keep all their digits up to 64 bits") {
    CHECK(canon("9223372036854775807") == "9223372036854775807");
    CHECK(canon("-9223372036854775808") == "-9223372036854775808");
    CHECK(canon("18446744073709551615") == "18446744073709551615");
    CHECK(canon("9007199254740993") == "9007199254740993");  // 2^53 + 1: no double holds it
    CHECK(canon("9007199254740993") != canon("9007199254740992"));
}

TEST_CASE("a number no int64, uint64 or double holds is an error, never a rounded key") {
    CHECK(canon("18446744073709551616") == "!bad-number");  // 2^64
    CHECK(canon("123456789012345678901234567890") == "!bad-number");
    CHECK(canon("-9223372036854775809") == "!bad-number");
    CHECK(canon(R"({"n":1e400})") == "!bad-number");
    CHECK(canon("-1e400") == "!bad-number");
}

TEST_CASE("a number too small for a double reads as 0, as every double parser reads it") {
    CHECK(canon("1e-400") == "0");
}

TEST_CASE("a \\u escape and the raw UTF-8 it stands for give the same bytes") {
    CHECK(canon(R"("\u00e9")") == "\"\xc3\xa9\"");
    CHECK(canon(R"("\u00E9")") == canon("\"\xc3\xa9\""));
    CHECK(canon(R"("\ud83d\ude00")") == canon("\"\xf0\x9f\x98\x80\""));
    CHECK(canon(R"("\u0041\/\u005c")") == R"("A/\\")");
    CHECK(canon(R"({"caf\u00e9":1})") == canon("{\"caf\xc3\xa9\":1}"));
}

TEST_CASE("control characters come out in one escape whichever way they went in") {
    CHECK(canon(R"("\u000a\n\u0009\u0000\u001F\u007f")") == "\"\\n\\n\\t\\u0000\\u001f\x7f\"");
    CHECK(canon(R"("\b\f\r")") == R"("\b\f\r")");
}

TEST_CASE("a lone surrogate in a \\u escape is invalid: it encodes no character") {
    CHECK(canon(R"("\ud800")") == "!invalid-json");
    CHECK(canon(R"("\udc00")") == "!invalid-json");
    CHECK(canon(R"("\ud800x")") == "!invalid-json");
    CHECK(canon(R"("\ude00\ud83d")") == "!invalid-json");
}

TEST_CASE("bytes that are not UTF-8 are invalid") {
    CHECK(canon("\"\xff\"") == "!invalid-json");
    CHECK(canon("\"\xc3\"") == "!invalid-json");
    CHECK(canon("{\"\xed\xa0\x80\":1}") == "!invalid-json");  // a surrogate, raw
}

TEST_CASE("duplicate keys keep their order in the body, after sorting among the others") {
    CHECK(canon(R"({"a":1,"b":0,"a":2})") == R"({"a":1,"a":2,"b":0})");
    CHECK(canon(R"({"b":0,"a":1,"a":2})") == canon(R"({"a":1,"b":0,"a":2})"));
    // First-wins and last-wins parsers read these two differently: two keys.
    CHECK(canon(R"({"a":1,"a":2})") != canon(R"({"a":2,"a":1})"));
}

TEST_CASE("an ignored pointer leaves out the member it names, at any depth") {
    CHECK(canon(R"({"id":7,"q":"x"})", {"/id"}) == R"({"q":"x"})");
    CHECK(canon(R"({"q":"x","meta":{"requestId":"r1","v":2}})", {"/meta/requestId"}) ==
          R"({"meta":{"v":2},"q":"x"})");
    CHECK(canon(R"({"q":"x","meta":{"requestId":"r1"}})", {"/meta/requestId"}) ==
          canon(R"({"meta":{"requestId":"r2"},"q":"x"})", {"/meta/requestId"}));
    CHECK(canon(R"({"a":{"b":{"c":{"d":1,"e":2}}}})", {"/a/b/c/d"}) ==
          R"({"a":{"b":{"c":{"e":2}}}})");
    CHECK(canon(R"({"a":1,"b":2})", {"/a", "/b"}) == "{}");
}

TEST_CASE("an ignored pointer works inside arrays, and a named element becomes null") {
    CHECK(canon(R"({"items":[{"ts":1,"v":"a"},{"ts":2,"v":"b"}]})", {"/items/0/ts"}) ==
          R"({"items":[{"v":"a"},{"ts":2,"v":"b"}]})");
    CHECK(canon(R"({"items":[1,2,3]})", {"/items/1"}) == R"({"items":[1,null,3]})");
    // Whatever the ignored element holds, the key is the same; never like a shorter array.
    CHECK(canon(R"([1,{"big":[1,2]},3])", {"/1"}) == canon("[1,7,3]", {"/1"}));
    CHECK(canon("[1,2,3]", {"/1"}) != canon("[1,3]", {"/1"}));
    CHECK(canon("[[1,2],[3,4]]", {"/1/0"}) == "[[1,2],[null,4]]");
}

TEST_CASE("a pointer's token needs the exact key: escapes in the pointer, none in the key") {
    CHECK(canon(R"({"a/b":1,"m~n":2,"c":3})", {"/a~1b", "/m~0n"}) == R"({"c":3})");
    CHECK(canon(R"({"caf\u00e9":1,"c":3})", {"/caf\xc3\xa9"}) == R"({"c":3})");
    CHECK(canon(R"({"":1,"c":3})", {"/"}) == R"({"c":3})");
}

TEST_CASE("a pointer naming a duplicate key leaves out every member of that name") {
    CHECK(canon(R"({"a":1,"b":0,"a":2})", {"/a"}) == R"({"b":0})");
}

TEST_CASE("a pointer that names nothing in the body changes nothing") {
    const std::string body = R"({"items":[{"ts":1}],"id":3})";
    const std::string plain = canon(body);
    CHECK(canon(body, {"/nope"}) == plain);
    CHECK(canon(body, {"/nope/deeper"}) == plain);
    CHECK(canon(body, {"/id/x"}) == plain);      // through a scalar
    CHECK(canon(body, {"/items/5"}) == plain);   // past the end
    CHECK(canon(body, {"/items/-"}) == plain);   // "-": past the last element
    CHECK(canon(body, {"/items/00"}) == plain);  // not an index
    CHECK(canon(body, {"/items/0/ts/x"}) == plain);
    CHECK(canon("[1,2]", {"/a"}) == "[1,2]");
}

TEST_CASE("the empty pointer ignores the whole body, which must still be JSON") {
    CHECK(canon(R"({"a":1})", {""}).empty());
    CHECK(canon("[1,2]", {""}).empty());
    CHECK(canon("{", {""}) == "!invalid-json");
}

TEST_CASE("more pointers than a walk follows are refused") {
    std::vector<std::string> many;
    for (std::size_t i = 0; i <= kMaxPointers; ++i) many.push_back("/k" + std::to_string(i));
    CHECK(canon("{}", many) == "!too-many-pointers");
    many.pop_back();
    CHECK(canon(R"({"k63":1,"keep":2})", many) == R"({"keep":2})");
}

TEST_CASE("what is not exactly one JSON text is invalid") {
    for (auto body : {"",         "   ",         "{",        R"({"a":1)", R"({"a":)",
                      "[1,2",     R"({"a":1,})", "[1,]",     "{} x",      "{}{}",
                      "[1] 2",    "1 2",         "{'a':1}",  "{a:1}",     R"({"a" 1})",
                      "[1 2]",    "NaN",         "Infinity", "[01]",      "[1.]",
                      "[.5]",     "[+1]",        "tru",      "nul",       R"("unterminated)",
                      "// c\n{}", R"("\x")",     R"("\u12")"}) {
        CAPTURE(body);
        CHECK(canon(body).starts_with('!'));
        CHECK(canon(body) != "!too-deep");
    }
    CHECK(canon("{} x") == "!invalid-json");
    CHECK(canon(R"({"a":1,})") == "!invalid-json");
    CHECK(canon(R"({"a":1)") == "!invalid-json");
}

TEST_CASE("nesting is allowed up to the depth limit and refused past it") {
    CHECK(canon(nested(64)) == nested(64));
    CHECK(canon(nested(64, "[", "1", "]")) == nested(64, "[", "1", "]"));
    CHECK(canon(nested(65)) == "!too-deep");
    CHECK(canon(nested(65, "[", "1", "]")) == "!too-deep");
    CHECK(canon(nested(63, R"({"a":)", "1", "}")) == nested(63, R"({"a":)", "1", "}"));
    CHECK(canon(nested(65, R"({"a":)", "1", "}")) == "!too-deep");
    CHECK(canon(nested(3), {}, {.max_depth = 2}) == "!too-deep");
    CHECK(canon(nested(2), {}, {.max_depth = 2}) == "[[]]");
    CHECK(canon("[[1],[2,[3]]]", {}, {.max_depth = 2}) == "!too-deep");
    CHECK(canon(R"({"a":[1]})", {}, {.max_depth = 2}) == R"({"a":[1]})");
    CHECK(canon("7", {}, {.max_depth = 0}) == "7");
}

TEST_CASE("hostile nesting is refused without a crash") {
    CHECK(canon(nested(100000)) == "!too-deep");
    CHECK(canon(std::string(100000, '[')).starts_with('!'));
}

TEST_CASE("a body past the byte limit is refused before it is parsed") {
    CHECK(canon(R"({"a":"0123456789"})", {}, {.max_bytes = 10}) == "!too-large");
    CHECK(canon("[1,2,3]", {}, {.max_bytes = 7}) == "[1,2,3]");
}

TEST_CASE("one parser serves body after body, whatever came before") {
    BodyParser parser;
    std::string out;
    std::string big = "[";
    for (int i = 0; i < 5000; ++i) big += std::to_string(i) + ",";
    big += "0]";
    REQUIRE(canonical_json(big, {}, out, parser));
    CHECK(out.size() > 20000);
    REQUIRE_FALSE(canonical_json("{", {}, out, parser));
    REQUIRE_FALSE(canonical_json(nested(70), {}, out, parser));
    REQUIRE(canonical_json(R"({"b":1,"a":{"d":[1,{"f":1,"e":2}],"c":2}})", {}, out, parser));
    CHECK(out == R"({"a":{"c":2,"d":[1,{"e":2,"f":1}]},"b":1})");
    CHECK(parser.pending_members().empty());
}

TEST_CASE("a warm parser and output keep their buffers from one body to the next") {
    BodyParser parser;
    std::string out;
    const std::string first = R"({"b":[1,{"d":2,"c":3}],"a":{"f":4,"e":5}})";
    const std::string second = R"({"y":[6,{"w":7,"x":8}],"z":{"u":9,"v":0}})";
    REQUIRE(canonical_json(first, {}, out, parser));
    const char* buffer = out.data();
    const std::size_t members = parser.pending_members().capacity();
    REQUIRE(canonical_json(second, {}, out, parser));
    CHECK(out == R"({"y":[6,{"w":7,"x":8}],"z":{"u":9,"v":0}})");
    CHECK(out.data() == buffer);
    CHECK(parser.pending_members().capacity() == members);
}
