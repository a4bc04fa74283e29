#include "cache/validators.hpp"

#include <doctest/doctest.h>

using namespace cachet::cache;
using cachet::Seconds;

namespace {

constexpr Seconds nov_6_1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
constexpr Seconds received = 1700000000;

}  // namespace

TEST_CASE("a stored head's status, ETag, Date and Last-Modified are read once (RFC 9110 §8.8)") {
    const StoredValidators v = stored_validators(
        "HTTP/1.1 200 OK\r\n"
        "Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n"
        "etag: W/\"v1\"\r\n"
        "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n",
        received);
    CHECK(v.status == 200);
    REQUIRE(v.etag);
    CHECK(v.etag->weak);
    CHECK(v.etag->opaque == "\"v1\"");
    CHECK(v.date == nov_6_1994 + 1);
    CHECK(v.last_modified == nov_6_1994);
    CHECK(v.response_time == received);
}

TEST_CASE("the first line of a repeated validator field decides (RFC 9111 §4.2.1)") {
    const StoredValidators v = stored_validators(
        "HTTP/1.1 200 OK\r\n"
        "ETag: \"first\"\r\nETag: \"second\"\r\n",
        received);
    REQUIRE(v.etag);
    CHECK(v.etag->opaque == "\"first\"");
}

TEST_CASE("an invalid ETag, Date or Last-Modified counts as absent") {
    const StoredValidators v = stored_validators(
        "HTTP/1.1 200 OK\r\n"
        "ETag: unquoted\r\nETag: \"later\"\r\n"
        "Date: yesterday\r\nLast-Modified: 0\r\n",
        received);
    CHECK_FALSE(v.etag);
    CHECK_FALSE(v.date);
    CHECK_FALSE(v.last_modified);
}

TEST_CASE("an unreadable status line gives status 0") {
    CHECK(stored_validators("", received).status == 0);
    CHECK(stored_validators("garbage\r\nETag: \"x\"\r\n", received).status == 0);
    CHECK(stored_validators("garbage\r\nETag: \"x\"\r\n", received).etag);
}

TEST_CASE("Last-Modified is strong only with a Date a second or more later (RFC 9110 §8.8.2.2)") {
    StoredValidators v;
    CHECK_FALSE(last_modified_is_strong(v));
    v.last_modified = nov_6_1994;
    CHECK_FALSE(last_modified_is_strong(v));
    v.date = nov_6_1994;
    CHECK_FALSE(last_modified_is_strong(v));
    v.date = nov_6_1994 + 1;
    CHECK(last_modified_is_strong(v));
    v.date = nov_6_1994 - 100;
    CHECK_FALSE(last_modified_is_strong(v));
}
