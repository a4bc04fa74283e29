#include "http/tokens.hpp"

#include <doctest/doctest.h>

#include <limits>

using cachet::http::parse_digits;

TEST_CASE("1*DIGIT parses whole, saturating past 2^64 - 1") {
    CHECK(parse_digits("0") == 0u);
    CHECK(parse_digits("1024") == 1024u);
    CHECK(parse_digits("18446744073709551615") == std::numeric_limits<std::uint64_t>::max());
    CHECK(parse_digits("99999999999999999999999") == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("anything but digits is not a number: empty, signs, spaces, other characters") {
    CHECK_FALSE(parse_digits(""));
    CHECK_FALSE(parse_digits("+1"));
    CHECK_FALSE(parse_digits("-1"));
    CHECK_FALSE(parse_digits(" 1"));
    CHECK_FALSE(parse_digits("1.5"));
    CHECK_FALSE(parse_digits("0x10"));
}
