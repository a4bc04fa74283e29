#include "http/cache_control.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

using cachet::http::CacheControl;
using cachet::http::parse_cache_control;

namespace {

constexpr cachet::Seconds cap = 2147483648;  // 2^31

CacheControl parse_lines(std::initializer_list<std::string_view> lines) {
    CacheControl cc;
    for (const std::string_view line : lines) cc.parse_line(line);
    return cc;
}

}  // namespace

TEST_CASE("no Cache-Control line means not present (RFC 9111 §5.2)") {
    const CacheControl cc;
    CHECK_FALSE(cc.present);
    CHECK_FALSE(cc.max_age);
}

TEST_CASE("an empty or comma-only line is present with no directives (RFC 9110 §5.6.1)") {
    for (const std::string_view line : {"", ",", ",,,", " , ,\t, "}) {
        CAPTURE(line);
        const CacheControl cc = parse_cache_control(line);
        CHECK(cc.present);
        CHECK_FALSE(cc.max_age);
        CHECK_FALSE(cc.no_store);
        CHECK_FALSE(cc.no_cache);
    }
}

TEST_CASE("directives are comma-separated with optional whitespace (RFC 9111 §5.2)") {
    const CacheControl cc = parse_cache_control("  public ,max-age=60,\tmust-revalidate  ,");
    CHECK(cc.is_public);
    CHECK(cc.max_age == 60);
    CHECK(cc.must_revalidate);
    CHECK_FALSE(cc.no_store);
}

TEST_CASE("directive names are case-insensitive (RFC 9111 §5.2)") {
    const CacheControl cc = parse_cache_control("No-Store, MAX-AGE=5, S-MaxAge=7, Private");
    CHECK(cc.no_store);
    CHECK(cc.max_age == 5);
    CHECK(cc.s_maxage == 7);
    CHECK(cc.is_private);
}

TEST_CASE("every boolean directive is recognised (RFC 9111 §5.2.1, §5.2.2, RFC 8246 §2)") {
    const CacheControl cc = parse_cache_control(
        "no-cache, no-store, no-transform, must-revalidate, proxy-revalidate, must-understand, "
        "private, public, immutable, only-if-cached");
    CHECK(cc.no_cache);
    CHECK(cc.no_store);
    CHECK(cc.no_transform);
    CHECK(cc.must_revalidate);
    CHECK(cc.proxy_revalidate);
    CHECK(cc.must_understand);
    CHECK(cc.is_private);
    CHECK(cc.is_public);
    CHECK(cc.immutable);
    CHECK(cc.only_if_cached);
}

TEST_CASE("every delta-seconds directive reads its value (RFC 9111 §1.2.2, RFC 5861 §3-§4)") {
    const CacheControl cc = parse_cache_control(
        "max-age=1, s-maxage=2, max-stale=3, min-fresh=4, stale-while-revalidate=5, "
        "stale-if-error=6");
    CHECK(cc.max_age == 1);
    CHECK(cc.s_maxage == 2);
    CHECK(cc.max_stale == 3);
    CHECK_FALSE(cc.max_stale_any);
    CHECK(cc.min_fresh == 4);
    CHECK(cc.stale_while_revalidate == 5);
    CHECK(cc.stale_if_error == 6);
}

TEST_CASE("max-age=0 and leading zeros are valid delta-seconds (RFC 9111 §1.2.2)") {
    CHECK(parse_cache_control("max-age=0").max_age == 0);
    CHECK(parse_cache_control("max-age=0060").max_age == 60);
}

TEST_CASE("a quoted delta-seconds is accepted, escapes included (RFC 9111 §5.2)") {
    CHECK(parse_cache_control("max-age=\"60\"").max_age == 60);
    CHECK(parse_cache_control("s-maxage=\"\\6\\0\"").s_maxage == 60);
}

TEST_CASE("an invalid max-age or s-maxage makes the response stale (RFC 9111 §4.2.1)") {
    for (const std::string_view line :
         {"max-age=-1", "max-age=1.5", "max-age=", "max-age=\"abc\"", "max-age=60abc", "max-age=+5",
          "max-age", "max-age=60 junk", "max-age=\"6 0\"", "max-age=\"60", "max-age=\"\"",
          "max-age=60;x"}) {
        CAPTURE(line);
        CHECK(parse_cache_control(line).max_age == 0);
    }
    CHECK(parse_cache_control("s-maxage=abc").s_maxage == 0);
    CHECK(parse_cache_control("stale-while-revalidate=x").stale_while_revalidate == 0);
    CHECK(parse_cache_control("stale-if-error=-3").stale_if_error == 0);
}

TEST_CASE("whitespace around = is tolerated although the grammar has none (RFC 9111 §5.2)") {
    CHECK(parse_cache_control("max-age = 60").max_age == 60);
    CHECK(parse_cache_control("max-age\t=\t\"60\" , public").max_age == 60);
}

TEST_CASE("a delta-seconds past 2^31 saturates at 2147483648 (RFC 9111 §1.2.2)") {
    CHECK(parse_cache_control("max-age=2147483647").max_age == 2147483647);
    CHECK(parse_cache_control("max-age=2147483648").max_age == cap);
    CHECK(parse_cache_control("max-age=2147483649").max_age == cap);
    CHECK(parse_cache_control("max-age=99999999999999999999999999999999999999").max_age == cap);
    const std::string huge = "s-maxage=" + std::string(10000, '9');
    CHECK(parse_cache_control(huge).s_maxage == cap);
}

TEST_CASE("the first occurrence of a repeated directive wins, across lines (RFC 9111 §4.2.1)") {
    CHECK(parse_cache_control("max-age=10, max-age=20").max_age == 10);
    CHECK(parse_lines({"max-age=10", "max-age=20"}).max_age == 10);
    // An invalid first value is still the first: it counts, as 0.
    CHECK(parse_cache_control("max-age=x, max-age=20").max_age == 0);
    CHECK(parse_cache_control("max-stale=5, max-stale").max_stale == 5);
    CHECK_FALSE(parse_cache_control("max-stale=5, max-stale").max_stale_any);
}

TEST_CASE("boolean directives OR together across lines (RFC 9111 §5.2)") {
    const CacheControl cc = parse_lines({"public", "no-store", "max-age=5"});
    CHECK(cc.present);
    CHECK(cc.is_public);
    CHECK(cc.no_store);
    CHECK(cc.max_age == 5);
}

TEST_CASE("no-cache with field names is the qualified form (RFC 9111 §5.2.2.4)") {
    const CacheControl cc = parse_cache_control("no-cache=\"Set-Cookie, X-Token\", max-age=9");
    CHECK(cc.no_cache);
    CHECK(cc.no_cache_has_fields);
    CHECK(cc.max_age == 9);  // the comma inside the quotes did not end the directive
}

TEST_CASE("an unqualified no-cache wins over a qualified one, in any order (RFC 9111 §5.2.2.4)") {
    for (const auto& lines :
         {parse_lines({"no-cache, no-cache=\"a\""}), parse_lines({"no-cache=\"a\", no-cache"}),
          parse_lines({"no-cache=\"a\"", "no-cache"}), parse_lines({"no-cache", "no-cache=a"})}) {
        CHECK(lines.no_cache);
        CHECK_FALSE(lines.no_cache_has_fields);
    }
}

TEST_CASE("private with field names is qualified, token form included (RFC 9111 §5.2.2.7)") {
    CHECK(parse_cache_control("private=\"Set-Cookie\"").private_has_fields);
    CHECK(parse_cache_control("private=Set-Cookie").private_has_fields);
    CHECK(parse_cache_control("private=Set-Cookie").is_private);
    const CacheControl both = parse_cache_control("private=\"x\", private");
    CHECK(both.is_private);
    CHECK_FALSE(both.private_has_fields);
}

TEST_CASE("an empty or unreadable field list counts as unqualified (RFC 9111 §5.2.2.4)") {
    for (const std::string_view line :
         {"no-cache=\"\"", "no-cache=", "no-cache=\" , \"", "no-cache=\"a"}) {
        CAPTURE(line);
        const CacheControl cc = parse_cache_control(line);
        CHECK(cc.no_cache);
        CHECK_FALSE(cc.no_cache_has_fields);
    }
}

TEST_CASE("a quoted string may hold escaped quotes and commas (RFC 9110 §5.6.4)") {
    const CacheControl cc =
        parse_cache_control("ext=\"a \\\" , no-store\", max-age=3, other=\"\\\\\", public");
    CHECK_FALSE(cc.no_store);  // inside the quoted string
    CHECK(cc.max_age == 3);
    CHECK(cc.is_public);
}

TEST_CASE("an unterminated quoted string hides the rest of the line (RFC 9110 §5.6.4)") {
    const CacheControl cc = parse_cache_control("public, ext=\"abc, no-store, max-age=5");
    CHECK(cc.is_public);
    CHECK_FALSE(cc.no_store);
    CHECK_FALSE(cc.max_age);
    CHECK(parse_cache_control("ext=\"abc\\").present);  // escape at the very end
}

TEST_CASE("junk without a directive name is skipped up to the next comma (RFC 9111 §5.2)") {
    const CacheControl cc = parse_cache_control("=5, @@ \"x, no-store\", max-age=4, ;;");
    CHECK_FALSE(cc.no_store);
    CHECK(cc.max_age == 4);
    // Junk after a name spoils only that directive's argument.
    const CacheControl trailing = parse_cache_control("no-store \"a, b\" , max-age=7");
    CHECK(trailing.no_store);
    CHECK(trailing.max_age == 7);
}

TEST_CASE("max-stale without a value accepts any staleness (RFC 9111 §5.2.1.2)") {
    const CacheControl cc = parse_cache_control("max-stale");
    CHECK(cc.max_stale_any);
    CHECK(cc.max_stale == cap);
    const CacheControl bounded = parse_cache_control("max-stale=30");
    CHECK_FALSE(bounded.max_stale_any);
    CHECK(bounded.max_stale == 30);
}

TEST_CASE("an invalid max-stale accepts no staleness (RFC 9111 §5.2.1.2)") {
    const CacheControl cc = parse_cache_control("max-stale=soon");
    CHECK_FALSE(cc.max_stale_any);
    CHECK(cc.max_stale == 0);
}

TEST_CASE("an invalid min-fresh can never be satisfied (RFC 9111 §5.2.1.3)") {
    CHECK(parse_cache_control("min-fresh=-1").min_fresh == cap);
    CHECK(parse_cache_control("min-fresh=10").min_fresh == 10);
}

TEST_CASE("unknown directives are ignored, must-understand is recorded (RFC 9111 §5.2.3)") {
    const CacheControl cc =
        parse_cache_control("community=\"UCI\", foo, bar=baz, must-understand, no-store");
    CHECK(cc.must_understand);
    CHECK(cc.no_store);
    CHECK_FALSE(cc.no_cache);
    CHECK_FALSE(cc.max_age);
}

TEST_CASE("arbitrary bytes never crash the parser (RFC 9111 §5.2)") {
    for (const std::string_view line :
         {"\"", "\\", "=", "\"\\", "max-age=\"", "max-age=\"\\", "no-cache=\"", ",=,=,\"",
          "\x01\xff\x7f", "max-age=\xff", "private=\"\\\\\\\"\""}) {
        CAPTURE(line);
        CHECK(parse_cache_control(line).present);
    }
    // A deterministic stream of random lines over the bytes that matter to the grammar.
    constexpr std::string_view alphabet = "\"\\=, \tmax-ge0123456789nocahprivt\xff";
    std::uint32_t state = 12345;
    for (int i = 0; i < 20000; ++i) {
        std::string line;
        const int length = static_cast<int>(state % 40);
        for (int j = 0; j < length; ++j) {
            state = state * 1664525u + 1013904223u;
            line.push_back(alphabet[(state >> 16) % alphabet.size()]);
        }
        state = state * 1664525u + 1013904223u;
        const CacheControl cc = parse_cache_control(line);
        REQUIRE(cc.present);
        if (cc.max_age) REQUIRE(*cc.max_age >= 0);
        if (cc.max_age) REQUIRE(*cc.max_age <= cap);
    }
}
