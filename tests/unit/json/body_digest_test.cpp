#include "json/body_digest.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet::json;

TEST_CASE("a body's digest is XXH3-128 in 32 lowercase hex digits, as xxhsum -H2 prints it") {
    CHECK(body_digest("").view() == "99aa06d3014798d86001c324468d497f");
    CHECK(body_digest("abc").view() == "06b05ab6733a618578af5f94892f3950");
}

TEST_CASE("bodies that differ in one byte have different digests") {
    CHECK(body_digest(R"({"a":1})").view() != body_digest(R"({"a":2})").view());
    CHECK(body_digest(std::string_view("a\0b", 3)).view() !=
          body_digest(std::string_view("a\0c", 3)).view());
    CHECK(body_digest(std::string(10000, 'x')).view().size() == 32);
}
