#include "cache/head_split.hpp"

#include <doctest/doctest.h>

using namespace cachet::cache;

TEST_CASE("the status line and the usually-repeated fields are shared, the rest stays own") {
    SplitHead split = split_head(
        "HTTP/1.1 200 OK\r\n"
        "Date: Mon, 23 Nov 2026 10:00:00 GMT\r\n"
        "Content-Type: application/json\r\n"
        "ETag: \"v1\"\r\n"
        "Cache-Control: max-age=60\r\n"
        "X-Request-Id: 8f1c\r\n"
        "Server: api\r\n"
        "Content-Length: 2\r\n");
    CHECK(split.shared ==
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: "
          "max-age=60\r\nServer: api\r\n");
    CHECK(split.own ==
          "Date: Mon, 23 Nov 2026 10:00:00 GMT\r\nETag: \"v1\"\r\nX-Request-Id: "
          "8f1c\r\nContent-Length: 2\r\n");
}

TEST_CASE("lines of one field name stay on one side, in their order (RFC 9110 §5.3)") {
    SplitHead split = split_head(
        "HTTP/1.1 200 OK\r\n"
        "vary: Accept\r\n"
        "Link: </a>; rel=preload\r\n"
        "VARY: Accept-Encoding\r\n"
        "Link: </b>; rel=preload\r\n");
    CHECK(split.shared == "HTTP/1.1 200 OK\r\nvary: Accept\r\nVARY: Accept-Encoding\r\n");
    CHECK(split.own == "Link: </a>; rel=preload\r\nLink: </b>; rel=preload\r\n");
}

TEST_CASE("field names are matched without regard to case") {
    CHECK(is_shared_field("content-type"));
    CHECK(is_shared_field("Access-Control-Allow-Origin"));
    CHECK_FALSE(is_shared_field("Content-Length"));
    CHECK_FALSE(is_shared_field("Last-Modified"));
    CHECK_FALSE(is_shared_field("Set-Cookie"));
    CHECK_FALSE(is_shared_field(""));
}

TEST_CASE("a head of only a status line is all shared; an empty head splits into nothing") {
    SplitHead status_only = split_head("HTTP/1.1 204 No Content\r\n");
    CHECK(status_only.shared == "HTTP/1.1 204 No Content\r\n");
    CHECK(status_only.own.empty());
    SplitHead empty = split_head("");
    CHECK(empty.shared.empty());
    CHECK(empty.own.empty());
}
