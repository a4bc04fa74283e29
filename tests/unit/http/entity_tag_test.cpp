#include "http/entity_tag.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using cachet::http::Comparison;
using cachet::http::EntityTag;
using cachet::http::is_any;
using cachet::http::list_contains;
using cachet::http::parse_entity_tag;
using cachet::http::strong_match;
using cachet::http::weak_match;

namespace {

EntityTag tag(std::string_view text) {
    const auto parsed = parse_entity_tag(text);
    REQUIRE(parsed);
    return *parsed;
}

}  // namespace

TEST_CASE("an entity-tag is an opaque quoted string, optionally marked weak (RFC 9110 §8.8.3)") {
    CHECK(tag("\"xyzzy\"").opaque == "\"xyzzy\"");
    CHECK_FALSE(tag("\"xyzzy\"").weak);
    CHECK(tag("W/\"xyzzy\"").weak);
    CHECK(tag("W/\"xyzzy\"").opaque == "\"xyzzy\"");
    CHECK(tag("\"\"").opaque == "\"\"");
    CHECK(tag("  \"a,b\"\t").opaque == "\"a,b\"");
    CHECK(tag("\"\xc3\xa9\"").opaque == "\"\xc3\xa9\"");  // obs-text is an etagc
}

TEST_CASE("text that is not exactly one entity-tag is refused (RFC 9110 §8.8.3)") {
    CHECK_FALSE(parse_entity_tag(""));
    CHECK_FALSE(parse_entity_tag("xyzzy"));
    CHECK_FALSE(parse_entity_tag("\"xyzzy"));
    CHECK_FALSE(parse_entity_tag("\"a b\""));
    CHECK_FALSE(parse_entity_tag("w/\"x\""));  // the weak indicator is case-sensitive
    CHECK_FALSE(parse_entity_tag("W/ \"x\""));
    CHECK_FALSE(parse_entity_tag("\"x\" \"y\""));
    CHECK_FALSE(parse_entity_tag("\"x\", \"y\""));
    CHECK_FALSE(parse_entity_tag("*"));
    CHECK_FALSE(parse_entity_tag(std::string_view("\"a\0b\"", 5)));
}

TEST_CASE("the strong and weak comparisons follow the table of RFC 9110 §8.8.3.2") {
    CHECK_FALSE(strong_match(tag("W/\"1\""), tag("W/\"1\"")));
    CHECK(weak_match(tag("W/\"1\""), tag("W/\"1\"")));
    CHECK_FALSE(strong_match(tag("W/\"1\""), tag("W/\"2\"")));
    CHECK_FALSE(weak_match(tag("W/\"1\""), tag("W/\"2\"")));
    CHECK_FALSE(strong_match(tag("W/\"1\""), tag("\"1\"")));
    CHECK(weak_match(tag("W/\"1\""), tag("\"1\"")));
    CHECK(strong_match(tag("\"1\""), tag("\"1\"")));
    CHECK(weak_match(tag("\"1\""), tag("\"1\"")));
}

TEST_CASE("opaque-tags compare octet by octet: case matters (RFC 9110 §8.8.3.2)") {
    CHECK_FALSE(weak_match(tag("\"abc\""), tag("\"ABC\"")));
}

TEST_CASE("a list of entity-tags matches when any member does (RFC 9110 §13.1.1)") {
    const EntityTag current = tag("\"b\"");
    CHECK(list_contains("\"a\", \"b\", \"c\"", current, Comparison::strong));
    CHECK(list_contains("\"a\",\"b\"", current, Comparison::strong));
    CHECK(list_contains(" ,, \"b\" ,", current, Comparison::strong));
    CHECK_FALSE(list_contains("\"a\", \"c\"", current, Comparison::strong));
    CHECK_FALSE(list_contains("", current, Comparison::strong));
    CHECK_FALSE(list_contains(" , ,", current, Comparison::weak));
}

TEST_CASE("a comma inside an opaque-tag does not split the list (RFC 9110 §8.8.3)") {
    CHECK(list_contains("\"x\", \"a,b\"", tag("\"a,b\""), Comparison::strong));
    CHECK_FALSE(list_contains("\"a,b\"", tag("\"a\""), Comparison::weak));
}

TEST_CASE("a weak member only matches under the weak comparison (RFC 9110 §8.8.3.2)") {
    CHECK(list_contains("W/\"b\"", tag("\"b\""), Comparison::weak));
    CHECK_FALSE(list_contains("W/\"b\"", tag("\"b\""), Comparison::strong));
    CHECK_FALSE(list_contains("\"b\"", tag("W/\"b\""), Comparison::strong));
}

TEST_CASE("malformed members never match, and the members after them are still read") {
    const EntityTag current = tag("\"b\"");
    CHECK_FALSE(list_contains("b", current, Comparison::weak));
    CHECK_FALSE(list_contains("\"b", current, Comparison::weak));
    CHECK_FALSE(list_contains("\"b\"x", current, Comparison::weak));
    CHECK_FALSE(list_contains("*", current, Comparison::weak));
    CHECK(list_contains("garbage, \"b\"", current, Comparison::weak));
    CHECK(list_contains("\"a b\", \"b\"", current, Comparison::weak));
    CHECK(list_contains("\"x\"y, \"b\"", current, Comparison::weak));
    CHECK(list_contains("*, \"b\"", current, Comparison::weak));
}

TEST_CASE("\"*\" is recognised only as the whole field value (RFC 9110 §13.1.2)") {
    CHECK(is_any("*"));
    CHECK(is_any("  *\t"));
    CHECK_FALSE(is_any("*, \"a\""));
    CHECK_FALSE(is_any("\"*\""));
    CHECK_FALSE(is_any(""));
}

TEST_CASE("random bytes as entity-tags and lists never crash") {
    std::mt19937 rng(8832);
    const std::string alphabet = "W/\", *ab\t";
    const EntityTag current = tag("\"ab\"");
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const int size = static_cast<int>(rng() % 24);
        for (int i = 0; i < size; ++i) {
            text += (rng() % 5 == 0) ? static_cast<char>(rng() % 256)
                                     : alphabet[rng() % alphabet.size()];
        }
        if (const auto parsed = parse_entity_tag(text)) {
            REQUIRE(parsed->opaque.size() >= 2);
            REQUIRE(parsed->opaque.front() == '"');
            REQUIRE(parsed->opaque.back() == '"');
            // A valid tag is a one-member list that contains itself.
            REQUIRE(list_contains(text, *parsed, Comparison::weak));
        }
        (void)list_contains(text, current, Comparison::strong);
        (void)is_any(text);
    }
}
