#include "http/host.hpp"

#include <doctest/doctest.h>

using cachet::http::valid_host;

TEST_CASE("a Host value is uri-host [\":\" port] (RFC 9110 §7.2, RFC 3986 §3.2.2)") {
    CHECK(valid_host("example.com"));
    CHECK(valid_host("example.com:8080"));
    CHECK(valid_host("example.com:"));  // port = *DIGIT: may be empty
    CHECK(valid_host("127.0.0.1:80"));
    CHECK(valid_host("[::1]"));
    CHECK(valid_host("[::1]:443"));
    CHECK(valid_host("xn--bcher-kva.example"));
    CHECK(valid_host("a%20b"));  // pct-encoded is allowed in a reg-name
}

TEST_CASE("a Host value with spaces, a bad port, a userinfo or no host is invalid") {
    CHECK_FALSE(valid_host(""));
    CHECK_FALSE(valid_host("a b"));
    CHECK_FALSE(valid_host("a.test:8o"));
    CHECK_FALSE(valid_host("a.test:80:80"));
    CHECK_FALSE(valid_host(":80"));
    CHECK_FALSE(valid_host("user@a.test"));
    CHECK_FALSE(valid_host("a.test/path"));
    CHECK_FALSE(valid_host("[::1"));
    CHECK_FALSE(valid_host("[]"));
    CHECK_FALSE(valid_host("[::1]x"));
    CHECK_FALSE(valid_host("[::1]:8o"));
}

TEST_CASE("an absolute-form target's authority, without userinfo (RFC 9112 §3.2.2)") {
    using cachet::http::absolute_form_authority;
    CHECK(absolute_form_authority("http://a.test/p?q") == "a.test");
    CHECK(absolute_form_authority("HTTP://a.test:8080") == "a.test:8080");
    CHECK(absolute_form_authority("http://a.test?q") == "a.test");
    CHECK(absolute_form_authority("http://user:pw@a.test/") == "a.test");
    CHECK(absolute_form_authority("http:///p") == "");
    CHECK_FALSE(absolute_form_authority("/p"));
    CHECK_FALSE(absolute_form_authority("https://a.test/"));
    CHECK_FALSE(absolute_form_authority("http:/a"));
}
