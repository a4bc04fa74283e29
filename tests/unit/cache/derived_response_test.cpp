#include <doctest/doctest.h>

#include "cache/derived_response.hpp"
#include "http/head_fields.hpp"

using namespace cachet;

namespace {

constexpr std::string_view kStored =
    "HTTP/1.1 200 OK\r\n"
    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
    "Content-Type: application/json\r\n"
    "Cache-Control: max-age=60\r\n"
    "ETag: \"v1\"\r\n"
    "Last-Modified: Sat, 05 Nov 1994 08:49:37 GMT\r\n"
    "Via: 1.1 cachet\r\n"
    "Content-Length: 1000\r\n";

}  // namespace

TEST_CASE(
    "a 304 keeps the validators and caching fields but no representation metadata (RFC 9110 "
    "§15.4.5)") {
    std::string head = cache::not_modified_head(kStored);
    CHECK(head.rfind("HTTP/1.1 304 Not Modified\r\n", 0) == 0);
    CHECK(http::find_field(head, "ETag") == "\"v1\"");
    CHECK(http::find_field(head, "Cache-Control") == "max-age=60");
    CHECK(http::find_field(head, "Date").has_value());
    CHECK(http::find_field(head, "Last-Modified").has_value());
    CHECK_FALSE(http::find_field(head, "Content-Length").has_value());
    CHECK_FALSE(http::find_field(head, "Content-Type").has_value());
    CHECK(http::status_of(head) == 304);
}

TEST_CASE("a 206 carries the range's length and its Content-Range (RFC 9110 §15.3.7)") {
    std::string head = cache::partial_content_head(kStored, 100, 199, 1000);
    CHECK(http::status_of(head) == 206);
    CHECK(http::find_field(head, "Content-Range") == "bytes 100-199/1000");
    CHECK(http::find_field(head, "Content-Length") == "100");
    CHECK(http::find_field(head, "Content-Type") == "application/json");
    int lengths = 0;
    http::for_each_field(head, [&](const http::HeaderView& f) {
        lengths += http::iequals(f.name, "content-length");
    });
    CHECK(lengths == 1);
}

TEST_CASE("a 416 says how long the representation is and has no body (RFC 9110 §15.5.17)") {
    std::string head = cache::range_not_satisfiable_head(kStored, 1000);
    CHECK(http::status_of(head) == 416);
    CHECK(http::find_field(head, "Content-Range") == "bytes */1000");
    CHECK(http::find_field(head, "Content-Length") == "0");
    CHECK_FALSE(http::find_field(head, "Cache-Control").has_value());
}
