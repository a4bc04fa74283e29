#include "http/http_date.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>
#include <string>

using cachet::Seconds;
using cachet::http::format_http_date;
using cachet::http::parse_http_date;

namespace {

constexpr Seconds nov_6_1994 = 784111777;   // Sun, 06 Nov 1994 08:49:37 GMT
constexpr Seconds jan_1_2024 = 1704067200;  // Mon, 01 Jan 2024 00:00:00 GMT

std::string formatted(Seconds t) {
    const auto text = format_http_date(t);
    return {text.data(), text.size()};
}

// libc's rendering, used only to check our own arithmetic against an independent one.
std::string libc_formatted(Seconds t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return {buf, n};
}

}  // namespace

TEST_CASE("an IMF-fixdate parses to seconds since the epoch (RFC 9110 §5.6.7)") {
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == nov_6_1994);
    CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
    CHECK(parse_http_date("Mon, 01 Jan 2024 00:00:00 GMT") == jan_1_2024);
}

TEST_CASE("an asctime date parses with a space-padded or two-digit day (RFC 9110 §5.6.7)") {
    CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == nov_6_1994);
    CHECK(parse_http_date("Sun Nov 06 08:49:37 1994") == nov_6_1994);
    CHECK(parse_http_date("Wed Nov 16 08:49:37 1994") == nov_6_1994 + 10 * 86400);
    CHECK_FALSE(parse_http_date("Sun Nov 6  08:49:37 1994"));
}

TEST_CASE("an RFC 850 date parses with its year near now (RFC 9110 §5.6.7)") {
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", jan_1_2024) == nov_6_1994);
    CHECK(parse_http_date("Monday, 01-Jan-24 00:00:00 GMT", jan_1_2024) == jan_1_2024);
    // Without an explicit now the wall clock decides; 1994 stays 1994 until 2044.
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == nov_6_1994);
}

TEST_CASE("an RFC 850 year more than 50 years ahead is in the past century (RFC 9110 §5.6.7)") {
    // From 2024-01-01, "73" is 2073 (49 years ahead) but "75" would be 2075: 1975.
    CHECK(parse_http_date("Sunday, 01-Jan-73 00:00:00 GMT", jan_1_2024) ==
          parse_http_date("Sun, 01 Jan 2073 00:00:00 GMT"));
    CHECK(parse_http_date("Wednesday, 01-Jan-75 00:00:00 GMT", jan_1_2024) ==
          parse_http_date("Wed, 01 Jan 1975 00:00:00 GMT"));
    // Exactly 50 years ahead is not "more than" 50 years: it stays in this century.
    CHECK(parse_http_date("Tuesday, 01-Jan-74 00:00:00 GMT", jan_1_2024) ==
          parse_http_date("Tue, 01 Jan 2074 00:00:00 GMT"));
    CHECK(parse_http_date("Tuesday, 01-Jan-74 00:00:01 GMT", jan_1_2024) ==
          parse_http_date("Tue, 01 Jan 1974 00:00:01 GMT"));
    // Late in a century, a small year belongs to the next one.
    const Seconds in_2090 = *parse_http_date("Sun, 01 Jan 2090 00:00:00 GMT");
    CHECK(parse_http_date("Monday, 01-Jan-05 00:00:00 GMT", in_2090) ==
          parse_http_date("Mon, 01 Jan 2105 00:00:00 GMT"));
}

TEST_CASE("date names and GMT match case-insensitively (RFC 9111 §4.2)") {
    CHECK(parse_http_date("sun, 06 nov 1994 08:49:37 gmt") == nov_6_1994);
    CHECK(parse_http_date("SUNDAY, 06-NOV-94 08:49:37 GMT", jan_1_2024) == nov_6_1994);
    CHECK(parse_http_date("SUN NOV  6 08:49:37 1994") == nov_6_1994);
}

TEST_CASE("a zone other than GMT makes a date invalid (RFC 9111 §4.2)") {
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 +0000"));
    CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 EST", jan_1_2024));
}

TEST_CASE("surrounding whitespace is not part of the date (RFC 9110 §5.5)") {
    CHECK(parse_http_date("  Sun, 06 Nov 1994 08:49:37 GMT\t") == nov_6_1994);
}

TEST_CASE("out-of-range fields make a date invalid (RFC 9110 §5.6.7)") {
    for (const std::string_view text :
         {"Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
          "Sun, 31 Apr 1994 08:49:37 GMT", "Sun, 29 Feb 1900 08:49:37 GMT",
          "Sun, 29 Feb 2023 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
          "Sun, 06 Nov 1994 08:60:37 GMT", "Sun, 06 Nov 1994 08:49:61 GMT",
          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun Feb 30 08:49:37 1994"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_http_date(text));
    }
    CHECK_FALSE(parse_http_date("Thursday, 29-Feb-23 08:49:37 GMT", jan_1_2024));
    CHECK(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT") == jan_1_2024 + 59 * 86400);
    CHECK(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT") == 951782400);
}

TEST_CASE("a leap second reads as the second before it (RFC 9111 §4.2)") {
    CHECK(parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT") ==
          parse_http_date("Sat, 31 Dec 2016 23:59:59 GMT"));
}

TEST_CASE("malformed text is not a date (RFC 9110 §5.6.7)") {
    for (const std::string_view text :
         {"",
          "0",
          "-1",
          "GMT",
          "Sun, 06 Nov 1994 08:49:37",
          "Sun, 06 Nov 1994 08:49:37 GMTX",
          "Sun, 6 Nov 1994 08:49:37 GMT",
          "Sun,  06 Nov 1994 08:49:37 GMT",
          "Sun, 06-Nov-1994 08:49:37 GMT",
          "Sun, 06 Nov 94 08:49:37 GMT",
          "Xyz, 06 Nov 1994 08:49:37 GMT",
          "Sun, 06 Nov 1994 08.49.37 GMT",
          "Sun, 06 Nov 199a 08:49:37 GMT",
          "Sun, 06 Nov 1994 8:49:37  GMT",
          "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
          "Sunday, 06-Nov-94",
          "Sun, 06-Nov-94 08:49:37 GMT",
          "Funday, 06-Nov-94 08:49:37 GMT",
          "Sunday, 06-Nov-94 08:49:37 GMT junk",
          ",",
          "Sun Nov  6 08:49:37 94",
          "Sun Nov  6 08:49:37 1994 GMT",
          "\xff\xff\xff, 06 Nov 1994 08:49:37 GMT"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_http_date(text, jan_1_2024));
    }
}

TEST_CASE("dates before 1970 and far ahead are exact (RFC 9110 §5.6.7)") {
    CHECK(parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT") == -1);
    CHECK(parse_http_date("Sat, 01 Jan 0000 00:00:00 GMT") == -62167219200);
    CHECK(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT") == 253402300799);
    CHECK(parse_http_date("Mon, 01 Mar 2100 00:00:00 GMT") == 4107542400);
}

TEST_CASE("format_http_date writes an IMF-fixdate (RFC 9110 §5.6.7)") {
    CHECK(formatted(nov_6_1994) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(formatted(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(formatted(-1) == "Wed, 31 Dec 1969 23:59:59 GMT");
    CHECK(formatted(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST_CASE("format_http_date clamps times outside four-digit years (RFC 9110 §5.6.7)") {
    CHECK(formatted(INT64_MAX) == "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK(formatted(INT64_MIN) == "Sat, 01 Jan 0000 00:00:00 GMT");
}

TEST_CASE("formatting agrees with libc and parses back, across centuries (RFC 9110 §5.6.7)") {
    // A step that is not a whole number of days walks every time of day and weekday.
    for (Seconds t = -5000000000; t < 32503680000; t += 7 * 86400 + 3601 * 7 + 13) {
        const std::string text = formatted(t);
        REQUIRE(text == libc_formatted(t));
        REQUIRE(parse_http_date(text) == t);
    }
}

TEST_CASE("29 February is a date only in leap years, in all three formats (RFC 9110 §5.6.7)") {
    constexpr Seconds feb_29_2024 = jan_1_2024 + 59 * 86400;
    CHECK(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT") == feb_29_2024);
    CHECK(parse_http_date("Thursday, 29-Feb-24 00:00:00 GMT", jan_1_2024) == feb_29_2024);
    CHECK(parse_http_date("Thu Feb 29 00:00:00 2024") == feb_29_2024);
    CHECK_FALSE(parse_http_date("Wed, 29 Feb 2023 00:00:00 GMT"));
    CHECK_FALSE(parse_http_date("Wednesday, 29-Feb-23 00:00:00 GMT", jan_1_2024));
    CHECK_FALSE(parse_http_date("Wed Feb 29 00:00:00 2023"));
    // The day after 28 February 2023 is 1 March.
    CHECK(*parse_http_date("Wed, 01 Mar 2023 00:00:00 GMT") -
              *parse_http_date("Tue, 28 Feb 2023 00:00:00 GMT") ==
          86400);
    // Centuries are leap years only when divisible by 400.
    CHECK_FALSE(parse_http_date("Mon, 29 Feb 2100 00:00:00 GMT"));
    CHECK(parse_http_date("Tue, 29 Feb 2400 00:00:00 GMT") == 13574563200);
    CHECK(formatted(13574563200) == "Tue, 29 Feb 2400 00:00:00 GMT");
}

TEST_CASE("dates next to the epoch are exact, either side of it (RFC 9110 §5.6.7)") {
    CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:01 GMT") == 1);
    CHECK(parse_http_date("Wed, 31 Dec 1969 00:00:00 GMT") == -86400);
    CHECK(parse_http_date("Thu Jan  1 23:59:59 1970") == 86399);
    CHECK(formatted(1) == "Thu, 01 Jan 1970 00:00:01 GMT");
    CHECK(formatted(86399) == "Thu, 01 Jan 1970 23:59:59 GMT");
    CHECK(formatted(86400) == "Fri, 02 Jan 1970 00:00:00 GMT");
    CHECK(formatted(-86400) == "Wed, 31 Dec 1969 00:00:00 GMT");
    CHECK(formatted(-86401) == "Tue, 30 Dec 1969 23:59:59 GMT");
}

TEST_CASE("dates up to the end of year 9999 are exact (RFC 9110 §5.6.7)") {
    CHECK(parse_http_date("Thu, 29 Feb 9996 00:00:00 GMT") == 253281168000);
    CHECK(parse_http_date("Fri Dec 31 23:59:59 9999") == 253402300799);
    CHECK(formatted(253402300799) == "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK(formatted(253402300800) == "Fri, 31 Dec 9999 23:59:59 GMT");  // clamped
    CHECK_FALSE(parse_http_date("Sat, 01 Jan 10000 00:00:00 GMT"));
    // An RFC 850 year is resolved without that limit: ten years before 10000, "00" is 10000.
    const Seconds jan_1_9990 = 253086768000;
    CHECK(parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT", jan_1_9990) == 253402300800);
    CHECK(parse_http_date("Friday, 31-Dec-99 23:59:59 GMT", jan_1_9990) == 253402300799);
}

TEST_CASE("an RFC 850 year is the one that is not more than 50 years ahead (RFC 9110 §5.6.7)") {
    // From 2024-01-01: the past 50 years and the next 50 are all reachable.
    CHECK(formatted(*parse_http_date("Friday, 31-Dec-99 00:00:00 GMT", jan_1_2024)) ==
          "Fri, 31 Dec 1999 00:00:00 GMT");
    CHECK(formatted(*parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT", jan_1_2024)) ==
          "Sat, 01 Jan 2000 00:00:00 GMT");
    CHECK(formatted(*parse_http_date("Wednesday, 01-Jan-70 00:00:00 GMT", jan_1_2024)) ==
          "Wed, 01 Jan 2070 00:00:00 GMT");
    // The same text in 1970 is the epoch.
    CHECK(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT", 0) == 0);
    // The limit is now + 50 years to the second, not a whole year: from 2024-07-01,
    // 1 July 2074 is still ahead by exactly 50 years but the second after is not.
    const Seconds jul_1_2024 = 1719792000;
    CHECK(formatted(*parse_http_date("Sunday, 01-Jul-74 00:00:00 GMT", jul_1_2024)) ==
          "Sun, 01 Jul 2074 00:00:00 GMT");
    CHECK(formatted(*parse_http_date("Monday, 01-Jul-74 00:00:01 GMT", jul_1_2024)) ==
          "Mon, 01 Jul 1974 00:00:01 GMT");
    // From 29 February, 50 years on has no 29 February: the limit is the day after, 1 March.
    const Seconds feb_29_2024 = jan_1_2024 + 59 * 86400;
    CHECK(parse_http_date("Thursday, 01-Mar-74 00:00:00 GMT", feb_29_2024) == 3287088000);
    CHECK(parse_http_date("Friday, 01-Mar-74 00:00:01 GMT", feb_29_2024) == 131328001);
}

TEST_CASE("a date formatted and parsed back is the same instant (RFC 9110 §5.6.7)") {
    for (const Seconds t :
         {Seconds{-62167219200}, Seconds{-86401}, Seconds{-1}, Seconds{0}, Seconds{1}, nov_6_1994,
          Seconds{951782400}, jan_1_2024, Seconds{4107542400}, Seconds{253402300799}}) {
        CAPTURE(t);
        CHECK(parse_http_date(formatted(t)) == t);
    }
    // The obsolete formats come back as the IMF-fixdate of the same instant.
    CHECK(formatted(*parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", jan_1_2024)) ==
          "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(formatted(*parse_http_date("Sun Nov  6 08:49:37 1994")) ==
          "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(formatted(*parse_http_date("sun, 06 nov 1994 08:49:37 gmt")) ==
          "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(formatted(*parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT")) ==
          "Sat, 31 Dec 2016 23:59:59 GMT");
}

TEST_CASE("arbitrary bytes never crash the date parser (RFC 9110 §5.6.7)") {
    // Mutations of valid dates in all three formats, from a deterministic generator.
    const std::string seeds[] = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                                 "Sun Nov  6 08:49:37 1994"};
    constexpr std::string_view alphabet = " ,-:0123456789GMTSunNov\xff";
    std::uint32_t state = 7;
    const auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 16;
    };
    for (int i = 0; i < 30000; ++i) {
        std::string text = seeds[next() % 3];
        const unsigned edits = next() % 4;
        for (unsigned e = 0; e < edits; ++e) {
            const std::size_t at = next() % text.size();
            switch (next() % 3) {
            case 0: text[at] = alphabet[next() % alphabet.size()]; break;
            case 1: text.erase(at, 1); break;
            default: text.insert(at, 1, alphabet[next() % alphabet.size()]); break;
            }
            if (text.empty()) text = " ";
        }
        const auto parsed = parse_http_date(text, static_cast<Seconds>(next()) * 1000);
        if (parsed) REQUIRE(parse_http_date(formatted(*parsed)) == parsed);
    }
}
