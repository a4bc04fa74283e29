#include "snapshot/text_display.hpp"

#include <doctest/doctest.h>

using namespace cachet::snapshot;

TEST_CASE("a key's separators and control bytes are escaped, readable text is not") {
    CHECK(escape_bytes("GET\x1fh\x1f/a") == "GET\\x1fh\\x1f/a");
    CHECK(escape_bytes(std::string_view("a\0b\x1b[2J\x7f", 8)) == "a\\x00b\\x1b[2J\\x7f");
    CHECK(escape_bytes("back\\slash") == "back\\\\slash");
    CHECK(escape_bytes("caf\xc3\xa9 \xe2\x82\xac") == "caf\xc3\xa9 \xe2\x82\xac");
}

TEST_CASE("bytes that are not UTF-8 are escaped one by one") {
    CHECK(escape_bytes("\xff\xc3") == "\\xff\\xc3");
    CHECK(escape_bytes("\xc0\xaf") == "\\xc0\\xaf");                    // overlong '/'
    CHECK(escape_bytes("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // a surrogate
    CHECK(escape_bytes("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST_CASE("text is UTF-8 with tabs and line ends, and no other control byte") {
    CHECK(is_printable_text(""));
    CHECK(is_printable_text("{\"a\": 1}\r\n\tcaf\xc3\xa9\n"));
    CHECK_FALSE(is_printable_text(std::string_view("PNG\0", 4)));
    CHECK_FALSE(is_printable_text("\x1b[31mred"));
    CHECK_FALSE(is_printable_text("\xe2\x82"));  // cut inside a character
}

TEST_CASE("a hex dump shows offsets, bytes and their printable forms, up to its limit") {
    CHECK(hex_dump("HTTP\x01", 100) ==
          "00000000  48 54 54 50 01" + std::string(11 * 3 + 2, ' ') + "|HTTP.|\n");
    const std::string dump = hex_dump(std::string(40, 'a'), 20);
    const std::size_t second_line = dump.find('\n') + 1;
    CHECK(dump.substr(second_line) ==
          "00000010  61 61 61 61" + std::string(12 * 3 + 2, ' ') + "|aaaa|\n");
}
