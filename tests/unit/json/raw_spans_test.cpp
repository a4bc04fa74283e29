#include "json/raw_spans.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cachet::json;

namespace {

std::vector<std::string> elements(std::string_view text) {
    std::vector<std::string> found;
    for_each_element(text, document_value(text), [&](Span element) {
        found.emplace_back(element.of(text));
        return true;
    });
    return found;
}

std::vector<std::string> members(std::string_view text) {
    std::vector<std::string> found;
    for_each_member(text, document_value(text), [&](Span key, Span value) {
        found.push_back(std::string(key.of(text)) + "=" + std::string(value.of(text)));
        return true;
    });
    return found;
}

using Texts = std::vector<std::string>;

}  // namespace

TEST_CASE("the document's value leaves out the whitespace around it") {
    const std::string_view text = " \n {\"a\" : [1, 2]}\t\r\n";
    CHECK(document_value(text).of(text) == R"({"a" : [1, 2]})");
    CHECK(document_value("7").of("7") == "7");
    CHECK(document_value(R"( "s" )").of(R"( "s" )") == R"("s")");
}

TEST_CASE("an array's elements are found as written, strings and nesting included") {
    CHECK(elements("[]").empty());
    CHECK(elements("[ ]").empty());
    CHECK(elements(R"([1, "a,]", {"b": [2, 3]}, [[]], null, -1.5e3 ])") ==
          Texts{"1", R"("a,]")", R"({"b": [2, 3]})", "[[]]", "null", "-1.5e3"});
    CHECK(elements(R"(["\"", "\\", "\\\"]"])") == Texts{R"("\"")", R"("\\")", R"("\\\"]")"});
}

TEST_CASE("an object's members are found with their keys as written") {
    CHECK(members("{}").empty());
    CHECK(members(R"({ "a" : 1 , "b\"}" : {"c": "}"}, "\u0069d":true})") ==
          Texts{R"("a"=1)", R"("b\"}"={"c": "}"})", R"("\u0069d"=true)"});
}

TEST_CASE("a member's value is found by its position") {
    const std::string_view text = R"({"jsonrpc":"2.0", "result": {"id": 1}, "id": "x"})";
    const Span object = document_value(text);
    CHECK(member_value(text, object, 0).of(text) == R"("2.0")");
    CHECK(member_value(text, object, 1).of(text) == R"({"id": 1})");
    CHECK(member_value(text, object, 2).of(text) == R"("x")");
    CHECK(member_value(text, object, 3).of(text).empty());
}

TEST_CASE("an iteration stops when the callback says so") {
    int calls = 0;
    for_each_element("[1,2,3]", document_value("[1,2,3]"), [&](Span) { return ++calls < 2; });
    CHECK(calls == 2);
}

TEST_CASE("text that is not JSON gives meaningless spans but every loop ends in bounds") {
    for (std::string_view text :
         {"[", "[}", "[1,", "{\"a\"", "{\"a\":", "{\"a\":}", "[\"\\", "{\"", "[:,]", "]", ""}) {
        CAPTURE(text);
        const Span whole = document_value(text);
        CHECK(whole.end <= text.size());
        for_each_element(text, whole, [&](Span s) {
            CHECK(s.end <= text.size());
            return true;
        });
        for_each_member(text, whole, [&](Span k, Span v) {
            CHECK(k.end <= text.size());
            CHECK(v.end <= text.size());
            return true;
        });
    }
}
