#include "cache/range.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace cachet;
using namespace cachet::cache;
using cachet::Seconds;
using cachet::http::HeaderView;

namespace {

constexpr Seconds nov_6_1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
constexpr Seconds now = 1700000000;
constexpr std::uint64_t max_u64 = std::numeric_limits<std::uint64_t>::max();

bool single(const RangeSelection& r, std::uint64_t first, std::uint64_t last) {
    return r.outcome == RangeOutcome::single && r.first == first && r.last == last;
}

RangeOutcome outcome(std::string_view range, std::uint64_t length = 1000) {
    return select_range(range, length).outcome;
}

// A stored response whose Last-Modified is strong (Date a day later) and ETag is "v1".
StoredValidators stored() {
    StoredValidators v;
    v.status = 200;
    v.etag = cachet::http::EntityTag{"\"v1\"", false};
    v.last_modified = nov_6_1994;
    v.date = nov_6_1994 + 86400;
    return v;
}

RangeSelection for_request(std::initializer_list<HeaderView> headers,
                           const StoredValidators& v = stored(), std::string_view method = "GET",
                           std::uint64_t length = 1000) {
    const std::vector<HeaderView> fields(headers);
    return range_for_request(http::parse_method(method), fields, v, length, now);
}

}  // namespace

TEST_CASE("every range outcome has a name for logs") {
    CHECK(name(RangeOutcome::none) == "none");
    CHECK(name(RangeOutcome::single) == "single");
    CHECK(name(RangeOutcome::unsatisfiable) == "unsatisfiable");
    CHECK(name(RangeOutcome::multiple) == "multiple");
}

TEST_CASE("an int-range selects first-pos through last-pos, inclusive (RFC 9110 §14.1.2)") {
    CHECK(single(select_range("bytes=0-99", 1000), 0, 99));
    CHECK(single(select_range("bytes=500-999", 1000), 500, 999));
    CHECK(single(select_range("bytes=7-7", 1000), 7, 7));
    CHECK(single(select_range("bytes=0-0", 1), 0, 0));
}

TEST_CASE("an int-range without last-pos runs to the end (RFC 9110 §14.1.2)") {
    CHECK(single(select_range("bytes=100-", 1000), 100, 999));
    CHECK(single(select_range("bytes=0-", 1000), 0, 999));
    CHECK(single(select_range("bytes=999-", 1000), 999, 999));
}

TEST_CASE("a last-pos at or past the end is clamped to the last byte (RFC 9110 §14.1.2)") {
    CHECK(single(select_range("bytes=0-1000", 1000), 0, 999));
    CHECK(single(select_range("bytes=900-5000", 1000), 900, 999));
    CHECK(single(select_range("bytes=0-99999999999999999999999999", 1000), 0, 999));
}

TEST_CASE("a suffix-range selects the last bytes, or all of fewer (RFC 9110 §14.1.2)") {
    CHECK(single(select_range("bytes=-50", 1000), 950, 999));
    CHECK(single(select_range("bytes=-1000", 1000), 0, 999));
    CHECK(single(select_range("bytes=-5000", 1000), 0, 999));
    CHECK(single(select_range("bytes=-1", 1), 0, 0));
    CHECK(single(select_range("bytes=-99999999999999999999999", 1000), 0, 999));
}

TEST_CASE("a suffix-length of zero is unsatisfiable (RFC 9110 §14.1.1)") {
    CHECK(outcome("bytes=-0") == RangeOutcome::unsatisfiable);
    CHECK(outcome("bytes=-000") == RangeOutcome::unsatisfiable);
}

TEST_CASE("a first-pos at or past the end is unsatisfiable (RFC 9110 §14.1.1)") {
    CHECK(outcome("bytes=1000-") == RangeOutcome::unsatisfiable);
    CHECK(outcome("bytes=1000-2000") == RangeOutcome::unsatisfiable);
    CHECK(outcome("bytes=18446744073709551615-") == RangeOutcome::unsatisfiable);
    CHECK(outcome("bytes=99999999999999999999999999-") == RangeOutcome::unsatisfiable);
}

TEST_CASE("an empty representation satisfies no int-range, and a suffix-range means all of it") {
    CHECK(outcome("bytes=0-", 0) == RangeOutcome::unsatisfiable);
    CHECK(outcome("bytes=0-0", 0) == RangeOutcome::unsatisfiable);
    CHECK(outcome("bytes=-1", 0) == RangeOutcome::none);
    CHECK(outcome("bytes=-0", 0) == RangeOutcome::unsatisfiable);
}

TEST_CASE("sizes near 2^64 are handled without overflow") {
    CHECK(single(select_range("bytes=-1", max_u64), max_u64 - 1, max_u64 - 1));
    CHECK(single(select_range("bytes=0-", max_u64), 0, max_u64 - 1));
    CHECK(single(select_range("bytes=18446744073709551613-", max_u64), max_u64 - 2, max_u64 - 1));
    CHECK(single(select_range("bytes=-18446744073709551615", max_u64), 0, max_u64 - 1));
}

TEST_CASE("the unit is case-insensitive and only bytes is understood (RFC 9110 §14.1, §14.2)") {
    CHECK(single(select_range("Bytes=0-9", 1000), 0, 9));
    CHECK(single(select_range("BYTES=0-9", 1000), 0, 9));
    CHECK(outcome("items=0-9") == RangeOutcome::none);
    CHECK(outcome("bytes 0-9") == RangeOutcome::none);
    CHECK(outcome("=0-9") == RangeOutcome::none);
    CHECK(outcome("bytesx=0-9") == RangeOutcome::none);
}

TEST_CASE("an invalid ranges-specifier is ignored (RFC 9110 §14.2)") {
    CHECK(outcome("") == RangeOutcome::none);
    CHECK(outcome("bytes=") == RangeOutcome::none);
    CHECK(outcome("bytes=,") == RangeOutcome::none);
    CHECK(outcome("bytes=-") == RangeOutcome::none);
    CHECK(outcome("bytes=abc") == RangeOutcome::none);
    CHECK(outcome("bytes=1-2-3") == RangeOutcome::none);
    CHECK(outcome("bytes=+1-2") == RangeOutcome::none);
    CHECK(outcome("bytes=0x10-20") == RangeOutcome::none);
    CHECK(outcome("bytes=0 - 9") == RangeOutcome::none);
    CHECK(outcome("bytes= 0-9;") == RangeOutcome::none);
    CHECK(outcome("bytes=--5") == RangeOutcome::none);
    CHECK(outcome("bytes=5") == RangeOutcome::none);
}

TEST_CASE("last-pos before first-pos makes the range invalid: ignored (RFC 9110 §14.1.2)") {
    CHECK(outcome("bytes=100-50") == RangeOutcome::none);
    CHECK(outcome("bytes=0-9, 100-50") == RangeOutcome::none);
}

TEST_CASE("whitespace around the value and list members is allowed (RFC 9110 §5.6.1)") {
    CHECK(single(select_range("  bytes=0-9 \t", 1000), 0, 9));
    CHECK(single(select_range("bytes= 0-9 ", 1000), 0, 9));
    CHECK(single(select_range("bytes=0-9,", 1000), 0, 9));
    CHECK(single(select_range("bytes=, ,0-9", 1000), 0, 9));
}

TEST_CASE("several ranges are forwarded, even when they could be coalesced (RFC 9110 §14.2)") {
    CHECK(outcome("bytes=0-9,20-29") == RangeOutcome::multiple);
    CHECK(outcome("bytes=0-9, 10-19") == RangeOutcome::multiple);
    CHECK(outcome("bytes=0-9,0-9") == RangeOutcome::multiple);
    CHECK(outcome("bytes=0-9, 5000-6000") == RangeOutcome::multiple);
    CHECK(outcome("bytes=-5, 0-") == RangeOutcome::multiple);
}

TEST_CASE("several ranges none of which is satisfiable are a 416 (RFC 9110 §14.1.1)") {
    CHECK(outcome("bytes=1000-,2000-3000") == RangeOutcome::unsatisfiable);
    CHECK(outcome("bytes=-0,5000-") == RangeOutcome::unsatisfiable);
}

// --- If-Range ----------------------------------------------------------------------------

TEST_CASE("If-Range with the stored strong entity-tag lets the Range apply (RFC 9110 §13.1.5)") {
    CHECK(if_range_matches("\"v1\"", stored(), now));
    CHECK(if_range_matches("  \"v1\" ", stored(), now));
    CHECK_FALSE(if_range_matches("\"v2\"", stored(), now));
}

TEST_CASE("If-Range compares entity-tags with the strong comparison only (RFC 9110 §13.1.5)") {
    CHECK_FALSE(if_range_matches("W/\"v1\"", stored(), now));
    StoredValidators weak = stored();
    weak.etag->weak = true;
    CHECK_FALSE(if_range_matches("\"v1\"", weak, now));
    CHECK_FALSE(if_range_matches("W/\"v1\"", weak, now));
    StoredValidators no_etag = stored();
    no_etag.etag.reset();
    CHECK_FALSE(if_range_matches("\"v1\"", no_etag, now));
}

TEST_CASE("If-Range with a date needs an equal, strong Last-Modified (RFC 9110 §13.1.5)") {
    CHECK(if_range_matches("Sun, 06 Nov 1994 08:49:37 GMT", stored(), now));
    CHECK(if_range_matches("Sunday, 06-Nov-94 08:49:37 GMT", stored(), now));
    CHECK_FALSE(if_range_matches("Sun, 06 Nov 1994 08:49:38 GMT", stored(), now));
    CHECK_FALSE(if_range_matches("Sun, 06 Nov 1994 08:49:36 GMT", stored(), now));
    StoredValidators weak_date = stored();
    weak_date.date = nov_6_1994;  // Date within the second of Last-Modified: weak
    CHECK_FALSE(if_range_matches("Sun, 06 Nov 1994 08:49:37 GMT", weak_date, now));
    StoredValidators no_date = stored();
    no_date.date.reset();
    CHECK_FALSE(if_range_matches("Sun, 06 Nov 1994 08:49:37 GMT", no_date, now));
    StoredValidators no_last_modified = stored();
    no_last_modified.last_modified.reset();
    CHECK_FALSE(if_range_matches("Sun, 06 Nov 1994 08:49:37 GMT", no_last_modified, now));
}

TEST_CASE("a malformed If-Range never lets the Range apply (RFC 9110 §13.1.5)") {
    CHECK_FALSE(if_range_matches("", stored(), now));
    CHECK_FALSE(if_range_matches("v1", stored(), now));
    CHECK_FALSE(if_range_matches("\"v1\", \"v2\"", stored(), now));
    CHECK_FALSE(if_range_matches("*", stored(), now));
    CHECK_FALSE(if_range_matches("\"v1", stored(), now));
}

// --- the whole decision ------------------------------------------------------------------

TEST_CASE("range_for_request honours Range on GET only (RFC 9110 §14.2)") {
    CHECK(single(for_request({{"Range", "bytes=0-9"}}), 0, 9));
    CHECK(for_request({{"Range", "bytes=0-9"}}, stored(), "HEAD").outcome == RangeOutcome::none);
    CHECK(for_request({{"Range", "bytes=0-9"}}, stored(), "POST").outcome == RangeOutcome::none);
    CHECK(for_request({}).outcome == RangeOutcome::none);
}

TEST_CASE("range_for_request ignores a Range whose If-Range fails (RFC 9110 §13.1.5)") {
    CHECK(single(for_request({{"Range", "bytes=0-9"}, {"If-Range", "\"v1\""}}), 0, 9));
    CHECK(for_request({{"Range", "bytes=0-9"}, {"If-Range", "\"v2\""}}).outcome ==
          RangeOutcome::none);
    CHECK(for_request({{"range", "bytes=5000-"}, {"if-range", "\"v2\""}}).outcome ==
          RangeOutcome::none);
    CHECK(for_request({{"Range", "bytes=0-9"}, {"If-Range", "\"v1\""}, {"If-Range", "\"v1\""}})
              .outcome == RangeOutcome::none);
}

TEST_CASE("range_for_request ignores If-Range without Range (RFC 9110 §13.1.5)") {
    CHECK(for_request({{"If-Range", "\"v1\""}}).outcome == RangeOutcome::none);
}

TEST_CASE("range_for_request ignores a Range sent on more than one line") {
    CHECK(for_request({{"Range", "bytes=0-9"}, {"Range", "bytes=10-19"}}).outcome ==
          RangeOutcome::none);
}

TEST_CASE("range_for_request reports unsatisfiable and multiple ranges") {
    CHECK(for_request({{"Range", "bytes=1000-"}}).outcome == RangeOutcome::unsatisfiable);
    CHECK(for_request({{"Range", "bytes=0-1,3-4"}}).outcome == RangeOutcome::multiple);
}

// --- Content-Range -----------------------------------------------------------------------

TEST_CASE("Content-Range of a 206 names the range and the complete length (RFC 9110 §14.4)") {
    ContentRangeText text;
    CHECK(format_content_range(text, 0, 99, 1000) == "bytes 0-99/1000");
    CHECK(format_content_range(text, 999, 999, 1000) == "bytes 999-999/1000");
    CHECK(text.view() == "bytes 999-999/1000");
    CHECK(format_content_range(text, max_u64 - 1, max_u64 - 1, max_u64) ==
          "bytes 18446744073709551614-18446744073709551614/18446744073709551615");
}

TEST_CASE("Content-Range of a 416 is an unsatisfied-range (RFC 9110 §14.4, §15.5.17)") {
    ContentRangeText text;
    CHECK(format_unsatisfied_range(text, 1000) == "bytes */1000");
    CHECK(format_unsatisfied_range(text, 0) == "bytes */0");
    CHECK(format_unsatisfied_range(text, max_u64) == "bytes */18446744073709551615");
}

TEST_CASE("random Range values never crash and a single range always lies inside the body") {
    std::mt19937 rng(14);
    const std::string alphabet = "bytes=0123456789-, ";
    for (int round = 0; round < 20000; ++round) {
        std::string value;
        const int size = static_cast<int>(rng() % 32);
        for (int i = 0; i < size; ++i) {
            value += (rng() % 8 == 0) ? static_cast<char>(rng() % 256)
                                      : alphabet[rng() % alphabet.size()];
        }
        if (rng() % 2 == 0) value = "bytes=" + value;
        const std::uint64_t length = rng() % 3 == 0 ? max_u64 - rng() % 3 : rng() % 2000;
        const RangeSelection r = select_range(value, length);
        if (r.outcome == RangeOutcome::single) {
            REQUIRE(r.first <= r.last);
            REQUIRE(r.last < length);
            ContentRangeText text;
            REQUIRE(format_content_range(text, r.first, r.last, length).starts_with("bytes "));
        }
    }
}
