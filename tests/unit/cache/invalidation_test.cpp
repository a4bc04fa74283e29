#include "cache/invalidation.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "cache/key.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

// Targets as "host target" strings, in order.
std::vector<std::string> targets(const UnsafeExchange& exchange) {
    Invalidations out;
    std::vector<std::string> list;
    for (const InvalidationTarget& t : invalidations(out, exchange)) {
        list.push_back(std::string(t.host) + " " + std::string(t.target));
    }
    return list;
}

UnsafeExchange post(std::string_view target = "/a/b/c?x=1", int status = 200) {
    UnsafeExchange e;
    e.method = http::Method::post;
    e.host = "example.com";
    e.target = target;
    e.status = status;
    return e;
}

UnsafeExchange post_with(std::string_view location, std::string_view content_location = {}) {
    UnsafeExchange e = post();
    e.location = location;
    e.content_location = content_location;
    return e;
}

using List = std::vector<std::string>;

}  // namespace

TEST_CASE("GET, HEAD, OPTIONS and TRACE are safe; other methods are not (RFC 9110 §9.2.1)") {
    for (const std::string_view m : {"GET", "HEAD", "OPTIONS", "TRACE"}) {
        CHECK(http::is_safe(http::parse_method(m)));
    }
    for (const std::string_view m : {"POST", "PUT", "DELETE", "PATCH", "PROPFIND", "get", ""}) {
        CHECK_FALSE(http::is_safe(http::parse_method(m)));
    }
}

TEST_CASE("an unsafe method invalidates its target URI (RFC 9111 §4.4)") {
    for (const std::string_view m : {"POST", "PUT", "DELETE", "PATCH", "MKCOL", "get"}) {
        UnsafeExchange e = post();
        e.method = http::parse_method(m);
        CHECK(targets(e) == List{"example.com /a/b/c?x=1"});
    }
}

TEST_CASE("a safe method invalidates nothing (RFC 9111 §4.4)") {
    for (const std::string_view m : {"GET", "HEAD", "OPTIONS", "TRACE"}) {
        UnsafeExchange e = post_with("/other");
        e.method = http::parse_method(m);
        CHECK(targets(e).empty());
    }
}

TEST_CASE("only a 2xx or 3xx response invalidates (RFC 9111 §4.4)") {
    CHECK(targets(post("/a", 200)).size() == 1);
    CHECK(targets(post("/a", 204)).size() == 1);
    CHECK(targets(post("/a", 303)).size() == 1);
    CHECK(targets(post("/a", 399)).size() == 1);
    CHECK(targets(post("/a", 100)).empty());
    CHECK(targets(post("/a", 199)).empty());
    CHECK(targets(post("/a", 400)).empty());
    CHECK(targets(post("/a", 404)).empty());
    CHECK(targets(post("/a", 500)).empty());
    CHECK(targets(post("/a", 0)).empty());
}

TEST_CASE("an absolute-form target is passed on whole for the key to read (RFC 9112 §3.2.2)") {
    UnsafeExchange e = post("http://Example.com:80/x?y");
    e.host = "ignored.example";
    CHECK(targets(e) == List{"ignored.example http://Example.com:80/x?y"});
    KeyBuffer a;
    KeyBuffer b;
    const auto list = [&] {
        Invalidations out;
        const auto t = invalidations(out, e)[0];
        return build_key(a, http::Method::get, t.host, t.target).value() ==
               build_key(b, http::Method::get, "example.com", "/x?y").value();
    }();
    CHECK(list);
}

TEST_CASE("an asterisk-form or authority-form target invalidates nothing") {
    CHECK(targets(post("*")).empty());
    CHECK(targets(post("example.com:443")).empty());
}

TEST_CASE("a relative Location resolves against the target URI (RFC 9111 §4.4, RFC 3986 §5.2)") {
    CHECK(targets(post_with("/new")) == List{"example.com /a/b/c?x=1", "example.com /new"});
    CHECK(targets(post_with("d")) == List{"example.com /a/b/c?x=1", "example.com /a/b/d"});
    CHECK(targets(post_with("./d?q")) == List{"example.com /a/b/c?x=1", "example.com /a/b/d?q"});
    CHECK(targets(post_with("../d")) == List{"example.com /a/b/c?x=1", "example.com /a/d"});
    CHECK(targets(post_with("../../../../d")) == List{"example.com /a/b/c?x=1", "example.com /d"});
    CHECK(targets(post_with("?y=2")) == List{"example.com /a/b/c?x=1", "example.com /a/b/c?y=2"});
    CHECK(targets(post_with("/p/./q/../r")) == List{"example.com /a/b/c?x=1", "example.com /p/r"});
    CHECK(targets(post_with("..")) == List{"example.com /a/b/c?x=1", "example.com /a/"});
    CHECK(targets(post_with("/..")) == List{"example.com /a/b/c?x=1", "example.com /"});
}

TEST_CASE("a Content-Location is invalidated like a Location (RFC 9111 §4.4)") {
    CHECK(targets(post_with({}, "/c")) == List{"example.com /a/b/c?x=1", "example.com /c"});
    CHECK(targets(post_with("/l", "/c")) ==
          List{"example.com /a/b/c?x=1", "example.com /l", "example.com /c"});
}

TEST_CASE("a fragment is not part of the invalidated URI (RFC 9110 §7.1)") {
    CHECK(targets(post_with("/new#top")) == List{"example.com /a/b/c?x=1", "example.com /new"});
    CHECK(targets(post_with("#top")) == List{"example.com /a/b/c?x=1"});
}

TEST_CASE("a reference to the target itself, or given twice, is listed once") {
    CHECK(targets(post_with("/a/b/c?x=1")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("c?x=1")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("/n", "/n")) == List{"example.com /a/b/c?x=1", "example.com /n"});
    CHECK(targets(post_with("", "")) == List{"example.com /a/b/c?x=1"});
}

TEST_CASE("an absolute Location with the request's host is invalidated (RFC 9111 §4.4)") {
    CHECK(targets(post_with("http://example.com/n?q")) ==
          List{"example.com /a/b/c?x=1", "example.com /n?q"});
    CHECK(targets(post_with("HTTP://EXAMPLE.COM:80/n")) ==
          List{"example.com /a/b/c?x=1", "example.com /n"});
    CHECK(targets(post_with("http://user@example.com./n")) ==
          List{"example.com /a/b/c?x=1", "example.com /n"});
    CHECK(targets(post_with("http://example.com")) ==
          List{"example.com /a/b/c?x=1", "example.com /"});
    CHECK(targets(post_with("http://example.com?q")) ==
          List{"example.com /a/b/c?x=1", "example.com /?q"});
    CHECK(targets(post_with("//example.com/n")) ==
          List{"example.com /a/b/c?x=1", "example.com /n"});
}

TEST_CASE("a Location on another origin is never invalidated (RFC 9111 §4.4)") {
    CHECK(targets(post_with("http://evil.example/n")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("http://example.com:8080/n")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("https://example.com/n")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("//evil.example/n")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("http://example.com@evil.example/n")) ==
          List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("mailto:a@example.com")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("http:/n")) == List{"example.com /a/b/c?x=1"});
}

TEST_CASE("the request's own port is part of its origin (RFC 9110 §4.3.1)") {
    UnsafeExchange e = post_with("http://example.com:8080/n");
    e.host = "example.com:8080";
    CHECK(targets(e) == List{"example.com:8080 /a/b/c?x=1", "example.com:8080 /n"});
    e.location = "http://example.com/n";
    CHECK(targets(e) == List{"example.com:8080 /a/b/c?x=1"});
}

TEST_CASE("a Location that is not a URI reference is ignored (RFC 3986 §2)") {
    CHECK(targets(post_with("/a b")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("/a\"b")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with(std::string_view("/a\0b", 4))) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("/\xc3\xa9")) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with("  /trimmed  ")) ==
          List{"example.com /a/b/c?x=1", "example.com /trimmed"});
}

TEST_CASE("relative references resolve against an absolute-form target's authority") {
    UnsafeExchange e = post("http://origin.example/dir/page");
    e.host = "other.example";
    e.location = "next";
    CHECK(targets(e) ==
          List{"other.example http://origin.example/dir/page", "origin.example /dir/next"});
    e.location = "http://origin.example/x";
    CHECK(targets(e) == List{"other.example http://origin.example/dir/page", "origin.example /x"});
    e.location = "http://other.example/x";
    CHECK(targets(e) == List{"other.example http://origin.example/dir/page"});
}

TEST_CASE("a reference too long to resolve is left out") {
    const std::string long_path = "/" + std::string(5000, 'a');
    CHECK(targets(post_with(long_path)) == List{"example.com /a/b/c?x=1"});
    CHECK(targets(post_with(long_path, "/short")) ==
          List{"example.com /a/b/c?x=1", "example.com /short"});
}

TEST_CASE("random Location values never crash and resolve to origin-form paths") {
    std::mt19937 rng(44);
    const std::string alphabet = "/.?#:@htpexamlco";
    for (int round = 0; round < 20000; ++round) {
        std::string location;
        const int size = static_cast<int>(rng() % 40);
        for (int i = 0; i < size; ++i) {
            location += (rng() % 10 == 0) ? static_cast<char>(rng() % 256)
                                          : alphabet[rng() % alphabet.size()];
        }
        Invalidations out;
        const auto list = invalidations(out, post_with(location, location));
        REQUIRE(list.size() >= 1);
        REQUIRE(list.size() <= 2);
        for (std::size_t i = 1; i < list.size(); ++i) {
            REQUIRE(list[i].target.starts_with('/'));
            REQUIRE(list[i].target.find('#') == std::string_view::npos);
            REQUIRE(list[i].target.find("/../") == std::string_view::npos);
        }
    }
}
