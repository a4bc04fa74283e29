#include "cache/partial_content.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <vector>

using namespace cachet;
using namespace cachet::cache;
using cachet::http::HeaderView;

namespace {

std::optional<RangeSelection> within(std::initializer_list<HeaderView> headers,
                                     const ContentRange& stored, std::string_view method = "GET") {
    const std::vector<HeaderView> fields(headers);
    return range_within(http::parse_method(method), fields, stored);
}

constexpr ContentRange bytes_100_to_499_of_1000{100, 499, 1000};

}  // namespace

// --- Content-Range (RFC 9110 §14.4) ------------------------------------------------------

TEST_CASE("Content-Range names a range and the complete length (RFC 9110 §14.4)") {
    const auto range = parse_content_range("bytes 100-499/1000");
    REQUIRE(range);
    CHECK(range->first == 100);
    CHECK(range->last == 499);
    CHECK(range->complete_length == 1000);
    CHECK(range->size() == 400);
    CHECK(parse_content_range("BYTES 0-0/1"));
    CHECK(parse_content_range(" bytes 0-9/10 "));
}

TEST_CASE("a Content-Range without a known complete length is not usable (RFC 9110 §14.4)") {
    CHECK_FALSE(parse_content_range("bytes 0-9/*"));
    CHECK_FALSE(parse_content_range("bytes */1000"));  // unsatisfied-range, for a 416
}

TEST_CASE("an invalid Content-Range is not usable (RFC 9110 §14.4)") {
    for (const std::string_view value :
         {"", "bytes", "bytes 0-9", "bytes 9-0/10", "bytes 0-10/10", "bytes 0-9/5", "items 0-9/10",
          "bytes -9/10", "bytes 0-/10", "bytes 0 - 9/10", "bytes 0-9/1x",
          "bytes 99999999999999999999-0/1"}) {
        CAPTURE(value);
        CHECK_FALSE(parse_content_range(value));
    }
}

TEST_CASE("a stored head has one usable Content-Range or none (RFC 9110 §14.4: a singleton)") {
    CHECK(content_range_of_head("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/10\r\n"));
    CHECK_FALSE(content_range_of_head("HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\n"));
    CHECK_FALSE(
        content_range_of_head("HTTP/1.1 206 Partial Content\r\n"
                              "Content-Range: bytes 0-9/10\r\n"
                              "Content-Range: bytes 0-9/10\r\n"));
}

TEST_CASE("a 206 body holds exactly the range its Content-Range names (RFC 9110 §15.3.7)") {
    CHECK(body_matches(bytes_100_to_499_of_1000, 400));
    CHECK_FALSE(body_matches(bytes_100_to_499_of_1000, 399));
    CHECK_FALSE(body_matches(bytes_100_to_499_of_1000, 1000));
}

// --- a request against a partial entry (RFC 9111 §3.3, RFC 9110 §14.1.2) -----------------

TEST_CASE("the stored range itself and a range inside it are answered from a partial entry") {
    const auto same = within({{"Range", "bytes=100-499"}}, bytes_100_to_499_of_1000);
    REQUIRE(same);
    CHECK(same->first == 100);
    CHECK(same->last == 499);
    const auto inner = within({{"Range", "bytes=200-299"}}, bytes_100_to_499_of_1000);
    REQUIRE(inner);
    CHECK(inner->first == 200);
    CHECK(inner->last == 299);
}

TEST_CASE("suffix and open-ended ranges resolve against the complete length (RFC 9110 §14.1.2)") {
    constexpr ContentRange tail{500, 999, 1000};
    const auto suffix = within({{"Range", "bytes=-100"}}, tail);
    REQUIRE(suffix);
    CHECK(suffix->first == 900);
    CHECK(suffix->last == 999);
    const auto open = within({{"Range", "bytes=700-"}}, tail);
    REQUIRE(open);
    CHECK(open->first == 700);
    CHECK(open->last == 999);
    // The same ranges reach past a partial entry that stops before the end.
    CHECK_FALSE(within({{"Range", "bytes=-100"}}, bytes_100_to_499_of_1000));
    CHECK_FALSE(within({{"Range", "bytes=400-"}}, bytes_100_to_499_of_1000));
}

TEST_CASE("a range reaching outside the stored bytes goes to the origin (RFC 9111 §3.3)") {
    CHECK_FALSE(within({{"Range", "bytes=0-99"}}, bytes_100_to_499_of_1000));
    CHECK_FALSE(within({{"Range", "bytes=99-200"}}, bytes_100_to_499_of_1000));
    CHECK_FALSE(within({{"Range", "bytes=400-500"}}, bytes_100_to_499_of_1000));
    CHECK_FALSE(within({{"Range", "bytes=5000-"}}, bytes_100_to_499_of_1000));  // unsatisfiable
}

TEST_CASE(
    "only a GET with one Range of one range-spec is answered from a partial entry "
    "(RFC 9110 §14.2)") {
    CHECK_FALSE(within({}, bytes_100_to_499_of_1000));
    CHECK_FALSE(within({{"Range", "bytes=100-199"}}, bytes_100_to_499_of_1000, "HEAD"));
    CHECK_FALSE(within({{"Range", "bytes=100-149, 200-249"}}, bytes_100_to_499_of_1000));
    CHECK_FALSE(
        within({{"Range", "bytes=100-199"}, {"Range", "bytes=100-199"}}, bytes_100_to_499_of_1000));
    CHECK_FALSE(within({{"Range", "items=100-199"}}, bytes_100_to_499_of_1000));
    // If-Range is not evaluated against a partial entry: the origin decides (§13.1.5).
    CHECK_FALSE(
        within({{"Range", "bytes=100-199"}, {"If-Range", "\"v1\""}}, bytes_100_to_499_of_1000));
}
