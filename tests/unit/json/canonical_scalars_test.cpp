#include "json/canonical_scalars.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

using namespace cachet::json;

namespace {

std::string string_of(std::string_view text) {
    std::string out;
    write_canonical_string(text, out);
    return out;
}

template <class Number>
std::string number_of(Number value) {
    std::string out;
    write_canonical_number(value, out);
    return out;
}

}  // namespace

TEST_CASE("a string escapes only the quote, the backslash and control bytes") {
    CHECK(string_of("plain") == R"("plain")");
    CHECK(string_of("a\"b\\c") == R"("a\"b\\c")");
    CHECK(string_of("/") == R"("/")");  // no \/
    CHECK(string_of("\b\f\n\r\t") == R"("\b\f\n\r\t")");
    CHECK(string_of(std::string_view("\0\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
    CHECK(string_of("\x7f") == "\"\x7f\"");
    CHECK(string_of("\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80") ==
          "\"\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\"");  // é, U+2028, 😀 raw
    CHECK(string_of("") == R"("")");
}

TEST_CASE("a string is appended to what the output holds") {
    std::string out = "key:";
    write_canonical_string("v", out);
    CHECK(out == R"(key:"v")");
}

TEST_CASE("integers are written in decimal") {
    CHECK(number_of(std::int64_t{0}) == "0");
    CHECK(number_of(std::int64_t{-42}) == "-42");
    CHECK(number_of(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
    CHECK(number_of(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
}

TEST_CASE("an integral double is written as the integer it is") {
    CHECK(number_of(1.0) == "1");
    CHECK(number_of(-3.0) == "-3");
    CHECK(number_of(1e16) == "10000000000000000");
    CHECK(number_of(9223372036854775808.0) == "9223372036854775808");    // 2^63: uint64
    CHECK(number_of(-9223372036854775808.0) == "-9223372036854775808");  // -2^63: int64
    CHECK(number_of(1e19) == "10000000000000000000");
}

TEST_CASE("zero has one spelling, whatever its sign") {
    CHECK(number_of(0.0) == "0");
    CHECK(number_of(-0.0) == "0");
}

TEST_CASE("other doubles take their shortest round-trip spelling") {
    CHECK(number_of(0.1) == "0.1");
    CHECK(number_of(-2.5) == "-2.5");
    CHECK(number_of(1e-7) == "1e-07");
    CHECK(number_of(1e20) == "1e+20");  // past uint64: not an integer any more
    CHECK(number_of(1.7976931348623157e308) == "1.7976931348623157e+308");
    CHECK(number_of(5e-324) == "5e-324");
    CHECK(number_of(0.30000000000000004) == "0.30000000000000004");
}
