#include "cache/key.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using namespace cachet;
using namespace cachet::cache;

namespace {

// The key for one request, as an owned string for comparing; "!" when building failed.
std::string key_of(std::string_view method, std::string_view host, std::string_view target) {
    KeyBuffer buffer;
    auto key = build_key(buffer, http::parse_method(method), host, target);
    return key ? std::string(*key) : std::string("!");
}

}  // namespace

TEST_CASE("a key holds method, host and target, and its hash is XXH3 of its bytes") {
    KeyBuffer buffer;
    auto key = build_key(buffer, http::Method::get, "example.com", "/a?b=1");
    REQUIRE(key);
    CHECK(*key == std::string_view("GET\x1f"
                                   "example.com\x1f/a?b=1"));
    CHECK(buffer.view() == *key);
    CHECK(buffer.hash == hash_key(*key));
    CHECK(buffer.hash != 0);
}

TEST_CASE("the host's case does not change the key") {
    CHECK(key_of("GET", "Example.COM", "/") == key_of("GET", "example.com", "/"));
}

TEST_CASE("the path's case and encoding are kept byte for byte") {
    CHECK(key_of("GET", "example.com", "/A") != key_of("GET", "example.com", "/a"));
    CHECK(key_of("GET", "example.com", "/%41") != key_of("GET", "example.com", "/A"));
}

TEST_CASE("the default port and a trailing dot do not change the key") {
    std::string plain = key_of("GET", "example.com", "/x");
    CHECK(key_of("GET", "example.com:80", "/x") == plain);
    CHECK(key_of("GET", "example.com:", "/x") == plain);
    CHECK(key_of("GET", "example.com.", "/x") == plain);
    CHECK(key_of("GET", "EXAMPLE.com.:80", "/x") == plain);
}

TEST_CASE("another port makes another key") {
    CHECK(key_of("GET", "example.com:8080", "/x") != key_of("GET", "example.com", "/x"));
    CHECK(key_of("GET", "example.com:8080", "/x") == std::string("GET\x1f"
                                                                 "example.com:8080\x1f/x"));
}

TEST_CASE("an IPv6 literal keeps its colons and loses only the default port") {
    CHECK(key_of("GET", "[::1]:80", "/") == key_of("GET", "[::1]", "/"));
    CHECK(key_of("GET", "[::1]:81", "/") == std::string("GET\x1f[::1]:81\x1f/"));
}

TEST_CASE("an absolute-form target gives the host and the path, overriding Host") {
    std::string origin_form = key_of("GET", "example.com", "/p?q=1");
    CHECK(key_of("GET", "other.org", "http://example.com/p?q=1") == origin_form);
    CHECK(key_of("GET", "", "HTTP://Example.com:80/p?q=1") == origin_form);
    CHECK(key_of("GET", "", "http://user@example.com/p?q=1") == origin_form);
}

TEST_CASE("an absolute-form target with an empty path means the path /") {
    CHECK(key_of("GET", "", "http://example.com") == key_of("GET", "example.com", "/"));
    CHECK(key_of("GET", "", "http://example.com?q") == key_of("GET", "example.com", "/?q"));
}

TEST_CASE("a HEAD request shares the key of the GET") {
    CHECK(key_of("HEAD", "example.com", "/x") == key_of("GET", "example.com", "/x"));
}

TEST_CASE("other methods keep their own keys") {
    CHECK(key_of("POST", "example.com", "/x") != key_of("GET", "example.com", "/x"));
}

TEST_CASE("different queries make different keys") {
    CHECK(key_of("GET", "example.com", "/x?a=1") != key_of("GET", "example.com", "/x?a=2"));
    CHECK(key_of("GET", "example.com", "/x?a=1&b=2") != key_of("GET", "example.com", "/x?b=2&a=1"));
    CHECK(key_of("GET", "example.com", "/x?") != key_of("GET", "example.com", "/x"));
}

TEST_CASE("host and path cannot trade bytes to produce the same key") {
    CHECK(key_of("GET", "a/b", "/c") != key_of("GET", "a", "/b/c"));
}

TEST_CASE("a key that does not fit the buffer is an error, not a truncation") {
    KeyBuffer buffer;
    std::string target = "/" + std::string(buffer.bytes.size(), 'a');
    auto key = build_key(buffer, http::Method::get, "example.com", target);
    REQUIRE_FALSE(key);
    CHECK(key.error() == Errc::key_too_long);
    CHECK(buffer.size == 0);
}

TEST_CASE("a key that exactly fills the buffer is accepted") {
    KeyBuffer buffer;
    std::string_view prefix =
        "GET\x1f"
        "h\x1f";
    std::string target = "/" + std::string(buffer.bytes.size() - prefix.size() - 1, 'a');
    auto key = build_key(buffer, http::Method::get, "h", target);
    REQUIRE(key);
    CHECK(key->size() == buffer.bytes.size());
}

TEST_CASE("a host holding the separator byte is refused as a bad request") {
    KeyBuffer buffer;
    auto key = build_key(buffer, http::Method::get,
                         "a\x1f"
                         "b",
                         "/");
    REQUIRE_FALSE(key);
    CHECK(key.error() == Errc::bad_request);
}

TEST_CASE("no part of a key may hold the variant separator, so no request names a variant") {
    KeyBuffer buffer;
    auto in_target = build_key(buffer, http::Method::get, "example.com",
                               "/img\x1e"
                               "accept-encoding");
    REQUIRE_FALSE(in_target);
    CHECK(in_target.error() == Errc::bad_request);
    CHECK_FALSE(build_key(buffer, http::Method::get,
                          "exa\x1e"
                          "mple.com",
                          "/img"));
    CHECK_FALSE(build_key(buffer, http::Method::get, "", "http://example.com/img\x1e"));
    CHECK_FALSE(build_key(buffer, http::Method::get, "",
                          "http://exa\x1e"
                          "mple.com/img"));
    CHECK(build_key(buffer, http::Method::get, "example.com", "/img"));
}

TEST_CASE("the hash of a key depends on every byte") {
    CHECK(hash_key("GET\x1fh\x1f/a") != hash_key("GET\x1fh\x1f/b"));
    CHECK(hash_key("GET\x1fh\x1f/a") == hash_key("GET\x1fh\x1f/a"));
}

TEST_CASE("a HEAD is keyed as GET; a method with no name cannot be keyed") {
    KeyBuffer get, head, other;
    CHECK(build_key(head, http::Method::head, "example.com", "/a").value() ==
          build_key(get, http::Method::get, "example.com", "/a").value());
    CHECK_FALSE(build_key(other, http::Method::other, "example.com", "/a"));
}
