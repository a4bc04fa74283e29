#include "cache/body_key.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet;
using namespace cachet::cache;

namespace {

std::string keyed(std::string_view body) {
    KeyBuffer key;
    REQUIRE(build_key(key, http::Method::post, "h", "/q"));
    auto built = append_body_digest(key, body);
    REQUIRE(built);
    CHECK(key.hash == hash_key(key.view()));
    return std::string(*built);
}

}  // namespace

TEST_CASE("body key: the body's digest follows the key, after a separator") {
    const std::string key = keyed(R"({"a":1})");
    CHECK(key.size() == std::string_view("POST\x1fh\x1f/q").size() + kBodyKeySize);
    CHECK(key.substr(0, 15) == std::string_view("POST\x1fh\x1f/q\x1f"
                                                "body:"));
    CHECK(key.find_first_not_of("0123456789abcdef", 15) == std::string::npos);
}

TEST_CASE("body key: two bodies share a key only when they are the same bytes") {
    CHECK(keyed("abc") == keyed("abc"));
    CHECK(keyed("abc") != keyed("abd"));
    CHECK(keyed("") != keyed(" "));
    CHECK(keyed(std::string(1 << 20, 'x')) == keyed(std::string(1 << 20, 'x')));
}

TEST_CASE("body key: a key with no room for the digest is too long") {
    KeyBuffer key;
    REQUIRE(build_key(key, http::Method::post, "h", "/" + std::string(4096 - 20, 'a')));
    auto built = append_body_digest(key, "x");
    REQUIRE_FALSE(built);
    CHECK(built.error() == Errc::key_too_long);
}
