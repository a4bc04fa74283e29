#include "cache/policy.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <vector>

using namespace cachet;
using namespace cachet::cache;
using cachet::Seconds;
using cachet::http::HeaderView;
using cachet::http::parse_cache_control;

namespace {

constexpr Seconds nov_6_1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
constexpr Seconds hour = 3600;
constexpr Seconds day = 86400;

RequestFacts request(std::string_view method, std::initializer_list<HeaderView> headers = {}) {
    const std::vector<HeaderView> fields(headers);
    return request_facts(http::parse_method(method), fields);
}

RequestFacts get(std::initializer_list<HeaderView> headers = {}) { return request("GET", headers); }

ResponseFacts response(int status, std::initializer_list<HeaderView> headers = {}) {
    const std::vector<HeaderView> fields(headers);
    return response_facts(status, fields);
}

ResponseFacts response_with(std::string_view cache_control) {
    return response(200, {{"Cache-Control", cache_control}});
}

NotStored verdict(const RequestFacts& req, const ResponseFacts& resp,
                  const PolicyOptions& options = {}) {
    return storable(req, resp, options);
}

Seconds lifetime(const ResponseFacts& resp, const PolicyOptions& options = {}) {
    return freshness_lifetime(resp, options);
}

}  // namespace

// --- names -------------------------------------------------------------------------------

TEST_CASE("every reason not to store has the name that shows in Cache-Status") {
    CHECK(name(NotStored::stored) == "stored");
    CHECK(name(NotStored::method) == "method");
    CHECK(name(NotStored::status) == "status");
    CHECK(name(NotStored::no_store) == "no-store");
    CHECK(name(NotStored::private_directive) == "private");
    CHECK(name(NotStored::authorization) == "authorization");
    CHECK(name(NotStored::set_cookie) == "set-cookie");
    CHECK(name(NotStored::vary_star) == "vary-star");
    CHECK(name(NotStored::vary_unusable) == "vary-unusable");
    CHECK(name(NotStored::partial) == "partial");
    CHECK(name(NotStored::too_large) == "too-large");
    CHECK(name(NotStored::truncated) == "truncated");
    CHECK(name(NotStored::no_freshness) == "no-freshness");
}

// --- request facts -----------------------------------------------------------------------

TEST_CASE("request facts collect Authorization and every Cache-Control line (RFC 9111 §5.2)") {
    const RequestFacts facts = get({{"authorization", "Bearer x"},
                                    {"Cache-Control", "max-age=5"},
                                    {"cache-control", "no-cache"}});
    CHECK(facts.method == http::Method::get);
    CHECK(facts.has_authorization);
    CHECK(facts.cache_control.max_age == 5);
    CHECK(facts.cache_control.no_cache);
    CHECK_FALSE(get().has_authorization);
}

TEST_CASE("Pragma: no-cache counts only without Cache-Control (RFC 9111 §5.4)") {
    CHECK(get({{"Pragma", "no-cache"}}).pragma_no_cache);
    CHECK(get({{"pragma", "x-custom, NO-CACHE"}}).pragma_no_cache);
    CHECK_FALSE(get({{"Pragma", "x-custom"}}).pragma_no_cache);
    CHECK_FALSE(get({{"Pragma", "no-cache"}, {"Cache-Control", "max-age=60"}}).pragma_no_cache);
    CHECK_FALSE(get({{"Cache-Control", ""}, {"Pragma", "no-cache"}}).pragma_no_cache);
}

// --- response facts ----------------------------------------------------------------------

TEST_CASE("response Cache-Control is combined across field lines (RFC 9111 §5.2)") {
    const ResponseFacts facts =
        response(200, {{"Cache-Control", "public"}, {"CACHE-CONTROL", "max-age=30"}});
    CHECK(facts.status == 200);
    CHECK(facts.cache_control.present);
    CHECK(facts.cache_control.is_public);
    CHECK(facts.cache_control.max_age == 30);
}

TEST_CASE("Cachet-Cache-Control outranks CDN-Cache-Control and Cache-Control (RFC 9213 §2.1)") {
    const ResponseFacts facts = response(200, {{"Cache-Control", "no-store"},
                                               {"CDN-Cache-Control", "max-age=20"},
                                               {"Cachet-Cache-Control", "max-age=30"}});
    CHECK(facts.cache_control.max_age == 30);
    CHECK_FALSE(facts.cache_control.no_store);
}

TEST_CASE("CDN-Cache-Control outranks Cache-Control (RFC 9213 §2.1)") {
    const ResponseFacts facts = response(200, {{"cache-control", "max-age=5, no-cache"},
                                               {"cdn-cache-control", "max-age=600"},
                                               {"CDN-Cache-Control", "public"}});
    CHECK(facts.cache_control.max_age == 600);
    CHECK(facts.cache_control.is_public);
    CHECK_FALSE(facts.cache_control.no_cache);
}

TEST_CASE("a targeted field also replaces Expires (RFC 9213 §2.1)") {
    const ResponseFacts facts =
        response(200, {{"Expires", "0"}, {"CDN-Cache-Control", "max-age=60"}});
    CHECK_FALSE(facts.expires_present);
    CHECK(lifetime(facts) == 60);
}

TEST_CASE("an empty targeted field is ignored (RFC 9213 §2.2)") {
    const ResponseFacts facts =
        response(200, {{"CDN-Cache-Control", "  "}, {"Cache-Control", "max-age=9"}});
    CHECK(facts.cache_control.max_age == 9);
}

TEST_CASE("Date, Expires and Last-Modified are read as HTTP-dates (RFC 9110 §5.6.7)") {
    const ResponseFacts facts =
        response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                       {"Expires", "Sun Nov  6 09:49:37 1994"},
                       {"Last-Modified", "Saturday, 05-Nov-94 08:49:37 GMT"}});
    CHECK(facts.date == nov_6_1994);
    CHECK(facts.expires_present);
    CHECK(facts.expires == nov_6_1994 + hour);
    CHECK(facts.last_modified == nov_6_1994 - day);
}

TEST_CASE("the first Date, Expires and Last-Modified lines win (RFC 9111 §4.2.1)") {
    const ResponseFacts facts = response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                               {"Date", "Mon, 07 Nov 1994 08:49:37 GMT"},
                                               {"Expires", "Sun, 06 Nov 1994 09:49:37 GMT"},
                                               {"Expires", "Mon, 07 Nov 1994 08:49:37 GMT"}});
    CHECK(facts.date == nov_6_1994);
    CHECK(facts.expires == nov_6_1994 + hour);
    CHECK_FALSE(response(200, {{"Date", "yesterday"}}).date);
    CHECK_FALSE(response(200).date);
}

TEST_CASE("an invalid Expires means already expired (RFC 9111 §5.3)") {
    for (const std::string_view value : {"0", "-1", "never", ""}) {
        CAPTURE(value);
        const ResponseFacts facts = response(200, {{"Expires", value}});
        CHECK(facts.expires_present);
        CHECK(facts.expires == 0);
    }
    CHECK_FALSE(response(200).expires_present);
}

TEST_CASE("Age takes the first valid delta-seconds and ignores invalid ones (RFC 9111 §5.1)") {
    CHECK(response(200, {{"Age", "42"}}).age == 42);
    CHECK(response(200, {{"Age", " 7 , 9"}}).age == 7);
    CHECK(response(200, {{"Age", "abc"}, {"Age", "12"}}).age == 12);
    CHECK(response(200, {{"Age", "-3, 1.5, 4"}}).age == 4);
    CHECK(response(200, {{"Age", "5"}, {"Age", "6"}}).age == 5);
    CHECK(response(200, {{"Age", "99999999999999999999"}}).age == 2147483648);
    CHECK_FALSE(response(200, {{"Age", "-1"}}).age);
    CHECK_FALSE(response(200).age);
}

TEST_CASE("Set-Cookie, Vary: * and Content-Range are noticed (RFC 9110 §12.5.5, §14.4)") {
    const ResponseFacts plain = response(200, {{"Vary", "Accept-Encoding"}});
    CHECK_FALSE(plain.has_set_cookie);
    CHECK_FALSE(plain.vary_star);
    CHECK_FALSE(plain.has_content_range);
    CHECK(response(200, {{"set-cookie", "a=b"}}).has_set_cookie);
    CHECK(response(200, {{"Vary", "Accept, *"}}).vary_star);
    CHECK(response(200, {{"Vary", "Accept"}, {"vary", " * "}}).vary_star);
    CHECK(response(200, {{"Content-Range", "bytes 0-9/100"}}).has_content_range);
}

// --- storable ----------------------------------------------------------------------------

TEST_CASE("a plain 200 to a GET may be stored (RFC 9111 §3)") {
    CHECK(verdict(get(), response(200)) == NotStored::stored);
}

TEST_CASE("only responses to GET are stored (RFC 9111 §3)") {
    CHECK(verdict(request("HEAD"), response(200)) == NotStored::method);
    CHECK(verdict(request("POST"), response_with("max-age=60")) == NotStored::method);
    // Method names are case-sensitive (RFC 9110 §9.1).
    CHECK(verdict(request("get"), response(200)) == NotStored::method);
}

TEST_CASE("no-store in the request or the response prevents storing (RFC 9111 §5.2.1.5)") {
    CHECK(verdict(get(), response_with("no-store")) == NotStored::no_store);
    CHECK(verdict(get({{"Cache-Control", "no-store"}}), response(200)) == NotStored::no_store);
    CHECK(verdict(get(), response_with("max-age=60, NO-STORE")) == NotStored::no_store);
}

TEST_CASE("a response with Cache-Control: private is not stored (RFC 9111 §5.2.2.7)") {
    CHECK(verdict(get(), response_with("private, max-age=60")) == NotStored::private_directive);
}

TEST_CASE("private with field names is storable, the fields to be stripped (RFC 9111 §5.2.2.7)") {
    CHECK(verdict(get(), response_with("private=\"Set-Cookie\", max-age=60")) == NotStored::stored);
}

TEST_CASE(
    "an authenticated request's response needs public, s-maxage or must-revalidate "
    "(RFC 9111 §3.5)") {
    const RequestFacts authed = get({{"Authorization", "Basic eDp5"}});
    CHECK(verdict(authed, response_with("max-age=60")) == NotStored::authorization);
    CHECK(verdict(authed, response(200)) == NotStored::authorization);
    CHECK(verdict(authed, response_with("public")) == NotStored::stored);
    CHECK(verdict(authed, response_with("s-maxage=60")) == NotStored::stored);
    CHECK(verdict(authed, response_with("must-revalidate, max-age=60")) == NotStored::stored);
}

TEST_CASE(
    "Set-Cookie is stored only when the options allow it "
    "(our choice: RFC 9111 §3 allows it)") {
    const ResponseFacts resp = response(200, {{"Set-Cookie", "id=1"}});
    CHECK(verdict(get(), resp) == NotStored::set_cookie);
    CHECK(verdict(get(), resp, {.store_set_cookie = true}) == NotStored::stored);
}

TEST_CASE("a response with Vary: * is not stored (RFC 9110 §12.5.5)") {
    CHECK(verdict(get(), response(200, {{"Vary", "*"}})) == NotStored::vary_star);
}

TEST_CASE("partial content without a usable Content-Range is not stored (RFC 9111 §3.3)") {
    CHECK(verdict(get(), response(206)) == NotStored::partial);
}

TEST_CASE(
    "a 206 without a usable Content-Range is not stored, whatever allows it (RFC 9111 §3.3)") {
    const auto ranged = get({{"Range", "bytes=0-99"}});
    const HeaderView fresh{"Cache-Control", "public, max-age=60"};
    CHECK(verdict(ranged, response(206, {fresh})) == NotStored::partial);
    CHECK(verdict(ranged, response(206, {fresh, {"Content-Range", "bytes 0-99/*"}})) ==
          NotStored::partial);
    CHECK(verdict(ranged, response(206, {fresh, {"Content-Range", "bytes */1000"}})) ==
          NotStored::partial);
    CHECK(verdict(ranged, response(206, {fresh, {"Content-Range", "pages 0-99/1000"}})) ==
          NotStored::partial);
}

TEST_CASE("a 200 with a Content-Range is complete and stored like any 200 (RFC 9110 §14.4)") {
    // "The Content-Range header field has no meaning for status codes that do not explicitly
    // describe its semantic": only 206 and 416 do.
    const HeaderView range{"Content-Range", "bytes 0-1/2"};
    const auto full = response(200, {range});
    CHECK(full.has_content_range);  // noticed, but it means nothing in a 200
    CHECK(verdict(get(), full) == NotStored::stored);
    CHECK_FALSE(storable_as_partial(get({{"Range", "bytes=0-1"}}), full));
    CHECK(verdict(get({{"Range", "bytes=0-1"}}), full) == NotStored::stored);
    // Whatever the value: unusable, repeated, or naming other bytes than the body.
    CHECK(verdict(get(), response(200, {{"Content-Range", "bytes 0-9/*"}})) == NotStored::stored);
    CHECK(verdict(get(), response(200, {range, range})) == NotStored::stored);
    CHECK(verdict(get(), response(200, {{"Content-Range", "junk"}})) == NotStored::stored);
    // The other storage rules still apply to it.
    CHECK(verdict(get(), response(200, {range, {"Cache-Control", "no-store"}})) ==
          NotStored::no_store);
    // Any other status without range semantics is read the same way.
    CHECK(verdict(get(), response(404, {range})) == NotStored::stored);
    CHECK(verdict(get(), response(203, {range, {"Cache-Control", "max-age=60"}})) ==
          NotStored::stored);
}

TEST_CASE("a 416 with its Content-Range is not stored (RFC 9110 §14.4, §15.5.17)") {
    const auto ranged = get({{"Range", "bytes=2000-"}});
    CHECK(verdict(ranged, response(416, {{"Content-Range", "bytes */1000"},
                                         {"Cache-Control", "max-age=60"}})) == NotStored::partial);
}

// RFC 9111 §3.3: "A cache MAY store ... a partial response ... if the cache ... records the
// response as incomplete"; the Content-Range says which bytes it holds of how many.
TEST_CASE(
    "a 206 with one Content-Range to a GET with one Range is stored as partial "
    "(RFC 9111 §3.3)") {
    const auto ranged = get({{"Range", "bytes=0-99"}});
    const auto partial = response(206, {{"Content-Range", "bytes 0-99/1000"}});
    CHECK(storable_as_partial(ranged, partial));
    CHECK(verdict(ranged, partial) == NotStored::stored);
    CHECK(verdict(ranged, response(206, {{"Content-Range", "bytes 0-99/1000"},
                                         {"Cache-Control", "max-age=60"}})) == NotStored::stored);
}

TEST_CASE(
    "a 206 the cache cannot record as one known range is not stored (RFC 9111 §3.3, "
    "RFC 9110 §14.4, §14.6)") {
    const auto ranged = get({{"Range", "bytes=0-99"}});
    const HeaderView range{"Content-Range", "bytes 0-99/1000"};
    // Multipart/byteranges: the parts carry the Content-Range, the response none.
    CHECK(verdict(ranged, response(206, {{"Content-Type", "multipart/byteranges; boundary=B"}})) ==
          NotStored::partial);
    CHECK(verdict(ranged, response(206, {{"Content-Range", "bytes 0-99/*"}})) ==
          NotStored::partial);
    CHECK(verdict(ranged, response(206, {range, range})) == NotStored::partial);
    CHECK(verdict(ranged, response(206, {range, {"Vary", "Accept"}})) == NotStored::partial);
    // Not a partial entry's shape: a 206 to a request without one Range line, or to
    // another method.
    const auto partial = response(206, {range});
    CHECK(verdict(get(), partial) == NotStored::partial);
    CHECK(verdict(get({{"Range", "bytes=0-99"}, {"Range", "bytes=0-99"}}), partial) ==
          NotStored::partial);
    CHECK_FALSE(storable_as_partial(request("HEAD", {{"Range", "bytes=0-99"}}), partial));
}

TEST_CASE("a storable 206 still obeys the other storage rules (RFC 9111 §3)") {
    const auto ranged = get({{"Range", "bytes=0-99"}});
    const HeaderView range{"Content-Range", "bytes 0-99/1000"};
    CHECK(verdict(ranged, response(206, {range, {"Cache-Control", "no-store"}})) ==
          NotStored::no_store);
    CHECK(verdict(ranged, response(206, {range, {"Cache-Control", "private"}})) ==
          NotStored::private_directive);
}

TEST_CASE("a non-final, invalid or 304 status is not stored (RFC 9111 §3)") {
    for (const int status : {100, 103, 199, 304, 600, 999, 0, -1}) {
        CAPTURE(status);
        CHECK(verdict(get(), response(status, {{"Cache-Control", "max-age=60, public"}})) ==
              NotStored::status);
    }
}

// RFC 9111 §3: "if the response status code is 206 or 304, or the must-understand cache
// directive (see Section 5.2.2.3) is present: the cache understands the response status
// code". Otherwise an unknown final status is stored on the same terms as any other.
TEST_CASE(
    "an unknown final status with explicit freshness is stored when must-understand is "
    "absent (RFC 9111 §3)") {
    for (const int status : {299, 306, 418, 499, 599}) {
        CAPTURE(status);
        CHECK(verdict(get(), response(status, {{"Cache-Control", "max-age=60"}})) ==
              NotStored::stored);
        CHECK(verdict(get(), response(status, {{"Cache-Control", "public"}})) == NotStored::stored);
        CHECK(verdict(get(), response(status)) == NotStored::status);
    }
}

TEST_CASE(
    "a status not heuristically cacheable needs explicit freshness or public "
    "(RFC 9111 §3)") {
    CHECK(verdict(get(), response(302)) == NotStored::status);
    CHECK(verdict(get(), response(500)) == NotStored::status);
    CHECK(verdict(get(), response(302, {{"Cache-Control", "max-age=60"}})) == NotStored::stored);
    CHECK(verdict(get(), response(307, {{"Cache-Control", "s-maxage=60"}})) == NotStored::stored);
    CHECK(verdict(get(), response(500, {{"Expires", "Sun, 06 Nov 1994 08:49:37 GMT"}})) ==
          NotStored::stored);
    CHECK(verdict(get(), response(302, {{"Cache-Control", "public"}})) == NotStored::stored);
    CHECK(verdict(get(), response(404)) == NotStored::stored);
}

TEST_CASE(
    "a no-cache response is stored, to be revalidated before each use "
    "(RFC 9111 §5.2.2.4)") {
    CHECK(verdict(get(), response_with("no-cache")) == NotStored::stored);
}

TEST_CASE("must-understand lets an understood status override no-store (RFC 9111 §5.2.2.3)") {
    CHECK(verdict(get(), response_with("must-understand, no-store, max-age=60")) ==
          NotStored::stored);
    CHECK(verdict(get({{"Cache-Control", "no-store"}}),
                  response_with("must-understand, no-store")) == NotStored::no_store);
}

TEST_CASE(
    "must-understand with a status the cache does not know is not stored "
    "(RFC 9111 §5.2.2.3)") {
    CHECK(verdict(get(), response(299, {{"Cache-Control", "must-understand, no-store"}})) ==
          NotStored::status);
    CHECK(verdict(get(), response(299, {{"Cache-Control", "must-understand, max-age=5"}})) ==
          NotStored::status);
}

// --- stale on arrival --------------------------------------------------------------------

// RFC 9111 §4.3.1: "When generating a conditional request for validation, a cache ... uses
// ... the ETag ... [or] the Last-Modified field value as the value in an If-Modified-Since
// field"; §5.2.2.4: an unqualified no-cache response "MUST NOT be used to satisfy any other
// request without forwarding it for validation and receiving a successful response".
TEST_CASE(
    "a response stale on arrival is stored only with a validator to revalidate it "
    "(RFC 9111 §4.3.1, §5.2.2.4)") {
    CHECK(storable_when_stale(response(200, {{"Cache-Control", "no-cache"}, {"ETag", "\"v1\""}})) ==
          NotStored::stored);
    CHECK(storable_when_stale(response(
              200, {{"Cache-Control", "max-age=0"},
                    {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}})) == NotStored::stored);
    CHECK(storable_when_stale(response(
              200, {{"Cache-Control", "s-maxage=0"}, {"etag", "W/\"x\""}})) == NotStored::stored);
    CHECK(storable_when_stale(response(200, {{"Expires", "0"}, {"ETag", "\"v1\""}})) ==
          NotStored::stored);
    CHECK(storable_when_stale(response_with("no-cache")) == NotStored::no_freshness);
    CHECK(storable_when_stale(response_with("max-age=0")) == NotStored::no_freshness);
}

TEST_CASE("ETag or Last-Modified, valid or not, counts as a validator (RFC 9110 §8.8)") {
    CHECK(response(200, {{"ETag", "\"a\""}}).has_validator);
    CHECK(response(200, {{"Last-Modified", "yesterday"}}).has_validator);
    CHECK_FALSE(response(200, {{"Cache-Control", "max-age=0"}}).has_validator);
}

// RFC 9111 §4.2.4: "A cache MUST NOT generate a stale response if it is prohibited by an
// explicit in-protocol directive (e.g., by a no-cache response directive, a must-revalidate
// response directive, or an applicable s-maxage or proxy-revalidate response directive)".
TEST_CASE(
    "no-cache, must-revalidate, proxy-revalidate and s-maxage forbid serving stale "
    "(RFC 9111 §4.2.4)") {
    for (const char* cc :
         {"no-cache", "no-cache, stale-while-revalidate=60", "must-revalidate", "proxy-revalidate",
          "s-maxage=0", "max-age=0, no-cache, stale-if-error=60"}) {
        CAPTURE(cc);
        CHECK(forbids_stale(parse_cache_control(cc)));
    }
    // A qualified no-cache only keeps the named fields from being sent unvalidated.
    for (const char* cc :
         {"no-cache=\"Set-Cookie\"", "max-age=0", "max-age=0, stale-while-revalidate=60", ""}) {
        CAPTURE(cc);
        CHECK_FALSE(forbids_stale(parse_cache_control(cc)));
    }
}

// --- freshness lifetime ------------------------------------------------------------------

TEST_CASE("s-maxage overrides max-age for a shared cache (RFC 9111 §5.2.2.10)") {
    CHECK(lifetime(response_with("max-age=60, s-maxage=600")) == 600);
    CHECK(lifetime(response_with("s-maxage=6, max-age=60")) == 6);
}

TEST_CASE("max-age overrides Expires (RFC 9111 §5.3)") {
    const ResponseFacts facts = response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                               {"Expires", "Sun, 06 Nov 1994 09:49:37 GMT"},
                                               {"Cache-Control", "max-age=60"}});
    CHECK(lifetime(facts) == 60);
}

TEST_CASE("Expires minus Date is the lifetime, never negative (RFC 9111 §4.2.1)") {
    CHECK(lifetime(response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                  {"Expires", "Sun, 06 Nov 1994 09:49:37 GMT"}})) == hour);
    CHECK(lifetime(response(200, {{"Date", "Sun, 06 Nov 1994 09:49:37 GMT"},
                                  {"Expires", "Sun, 06 Nov 1994 08:49:37 GMT"}})) == 0);
    // An invalid Expires is in the past, and stops any heuristic (RFC 9111 §5.3).
    CHECK(lifetime(response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                  {"Last-Modified", "Sun, 06 Nov 1984 08:49:37 GMT"},
                                  {"Expires", "0"}})) == 0);
}

TEST_CASE(
    "Expires without a Date gives no lifetime: the proxy fills Date first "
    "(RFC 9110 §6.6.1)") {
    ResponseFacts facts = response(200, {{"Expires", "Sun, 06 Nov 1994 09:49:37 GMT"}});
    CHECK(lifetime(facts) == 0);
    facts.date = nov_6_1994;  // what the proxy does with the response time
    CHECK(lifetime(facts) == hour);
}

TEST_CASE("an invalid max-age makes the response stale (RFC 9111 §4.2.1)") {
    CHECK(lifetime(response_with("max-age=-1")) == 0);
    CHECK(lifetime(response_with("max-age=1.5")) == 0);
    CHECK(lifetime(response_with("s-maxage=x, max-age=60")) == 0);
}

TEST_CASE(
    "an unqualified no-cache gives no freshness, whatever else is sent "
    "(RFC 9111 §5.2.2.4)") {
    CHECK(lifetime(response_with("max-age=60, no-cache")) == 0);
    CHECK(lifetime(response_with("no-cache=\"Set-Cookie\", max-age=60")) == 60);
}

TEST_CASE(
    "heuristic freshness is 10% of the time since Last-Modified, capped "
    "(RFC 9111 §4.2.2)") {
    const HeaderView date{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"};
    const ResponseFacts ten_days =
        response(200, {date, {"Last-Modified", "Thu, 27 Oct 1994 08:49:37 GMT"}});
    CHECK(lifetime(ten_days) == day);
    CHECK(lifetime(ten_days, {.heuristic_cap = hour}) == hour);
    CHECK(lifetime(ten_days, {.heuristic_cap = -5}) == 0);
    const ResponseFacts future =
        response(200, {date, {"Last-Modified", "Mon, 07 Nov 1994 08:49:37 GMT"}});
    CHECK(lifetime(future) == 0);
}

TEST_CASE(
    "heuristic freshness needs a heuristically cacheable status or public "
    "(RFC 9111 §4.2.2)") {
    const HeaderView date{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"};
    const HeaderView modified{"Last-Modified", "Thu, 27 Oct 1994 08:49:37 GMT"};
    CHECK(lifetime(response(404, {date, modified})) == day);
    CHECK(lifetime(response(302, {date, modified})) == 0);
    CHECK(lifetime(response(302, {date, modified, {"Cache-Control", "public"}})) == day);
}

TEST_CASE("no heuristic without Last-Modified or with explicit expiration (RFC 9111 §4.2.2)") {
    CHECK(lifetime(response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}})) == 0);
    CHECK(lifetime(response(200)) == 0);
    CHECK(lifetime(response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                  {"Last-Modified", "Thu, 27 Oct 1994 08:49:37 GMT"},
                                  {"Cache-Control", "max-age=5"}})) == 5);
}

// --- age ---------------------------------------------------------------------------------

TEST_CASE(
    "corrected_initial_age is the larger of apparent age and Age plus delay "
    "(RFC 9111 §4.2.3)") {
    ResponseFacts facts = response(200, {{"Age", "100"}});
    facts.date = 1000;
    // Age 100 + delay 5 beats apparent age 10.
    CHECK(corrected_initial_age(facts, 1005, 1010) == 105);
    // Apparent age 500 beats Age 100 + delay 5.
    CHECK(corrected_initial_age(facts, 1495, 1500) == 500);
}

TEST_CASE("a Date ahead of the response time gives no negative age (RFC 9111 §4.2.3)") {
    ResponseFacts facts = response(200);
    facts.date = 2000;
    CHECK(corrected_initial_age(facts, 990, 1000) == 10);
    CHECK(corrected_initial_age(facts, 1000, 1000) == 0);
    // A clock that stepped back between request and response never lowers the age.
    ResponseFacts aged = response(200, {{"Age", "30"}});
    aged.date = 1000;
    CHECK(corrected_initial_age(aged, 1010, 1000) == 30);
}

TEST_CASE("a missing Date leaves Age plus the response delay (RFC 9111 §4.2.3)") {
    const ResponseFacts facts = response(200, {{"Age", "30"}});
    CHECK(corrected_initial_age(facts, 998, 1000) == 32);
}

// --- heuristically cacheable -------------------------------------------------------------

TEST_CASE("the heuristically cacheable statuses are those RFC 9110 §15.1 lists") {
    for (const int status : {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}) {
        CAPTURE(status);
        CHECK(heuristically_cacheable(status));
    }
    for (const int status : {100, 201, 202, 205, 302, 303, 304, 307, 400, 403, 500, 502, 503}) {
        CAPTURE(status);
        CHECK_FALSE(heuristically_cacheable(status));
    }
}

// --- servable ----------------------------------------------------------------------------

TEST_CASE("a stored response is fresh while its age is below its lifetime (RFC 9111 §4.2)") {
    const auto stored = parse_cache_control("max-age=60");
    CHECK(servable(get(), stored, 59, 60) == Servable::fresh);
    CHECK(servable(get(), stored, 60, 60) == Servable::must_validate);
    CHECK(servable(get(), stored, 0, 0) == Servable::must_validate);
}

TEST_CASE("request no-cache or Pragma: no-cache forces validation (RFC 9111 §5.2.1.4, §5.4)") {
    const auto stored = parse_cache_control("max-age=60");
    CHECK(servable(get({{"Cache-Control", "no-cache"}}), stored, 0, 60) == Servable::must_validate);
    CHECK(servable(get({{"Pragma", "no-cache"}}), stored, 0, 60) == Servable::must_validate);
}

TEST_CASE("a stored no-cache response is validated before every use (RFC 9111 §5.2.2.4)") {
    CHECK(servable(get(), parse_cache_control("no-cache, max-age=60"), 0, 60) ==
          Servable::must_validate);
    // The qualified form withholds only the named fields, which the store does not keep
    // (cache/withheld_fields.hpp): the rest of a fresh response is reused.
    CHECK(servable(get(), parse_cache_control("no-cache=\"X-A\", max-age=60"), 0, 60) ==
          Servable::fresh);
}

TEST_CASE("request max-age bounds the age the client accepts (RFC 9111 §5.2.1.1)") {
    const auto stored = parse_cache_control("max-age=600");
    CHECK(servable(get({{"Cache-Control", "max-age=30"}}), stored, 30, 600) == Servable::fresh);
    CHECK(servable(get({{"Cache-Control", "max-age=30"}}), stored, 31, 600) ==
          Servable::must_validate);
    CHECK(servable(get({{"Cache-Control", "max-age=0"}}), stored, 1, 600) ==
          Servable::must_validate);
}

TEST_CASE("request min-fresh requires that much freshness to remain (RFC 9111 §5.2.1.3)") {
    const auto stored = parse_cache_control("max-age=100");
    const RequestFacts req = get({{"Cache-Control", "min-fresh=20"}});
    CHECK(servable(req, stored, 80, 100) == Servable::fresh);
    CHECK(servable(req, stored, 81, 100) == Servable::must_validate);
    CHECK(servable(get({{"Cache-Control", "min-fresh=bad"}}), stored, 0, 100) ==
          Servable::must_validate);
}

TEST_CASE(
    "a stale response is served only within the client's max-stale "
    "(RFC 9111 §5.2.1.2, §4.2.4)") {
    const auto stored = parse_cache_control("max-age=60");
    CHECK(servable(get(), stored, 70, 60) == Servable::must_validate);
    CHECK(servable(get({{"Cache-Control", "max-stale"}}), stored, 1000000, 60) == Servable::stale);
    CHECK(servable(get({{"Cache-Control", "max-stale=10"}}), stored, 70, 60) == Servable::stale);
    CHECK(servable(get({{"Cache-Control", "max-stale=10"}}), stored, 71, 60) ==
          Servable::must_validate);
    CHECK(servable(get({{"Cache-Control", "max-stale=oops"}}), stored, 61, 60) ==
          Servable::must_validate);
}

TEST_CASE(
    "must-revalidate, proxy-revalidate and s-maxage forbid serving stale "
    "(RFC 9111 §5.2.2.2, §5.2.2.8, §5.2.2.10)") {
    const RequestFacts lenient = get({{"Cache-Control", "max-stale"}});
    for (const std::string_view cc :
         {"max-age=60, must-revalidate", "max-age=60, proxy-revalidate", "s-maxage=60"}) {
        CAPTURE(cc);
        CHECK(servable(lenient, parse_cache_control(cc), 61, 60) == Servable::must_validate);
        CHECK(servable(lenient, parse_cache_control(cc), 59, 60) == Servable::fresh);
    }
}

TEST_CASE("facts read from headers drive storing, lifetime and reuse together (RFC 9111 §4)") {
    const ResponseFacts resp = response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                              {"Age", "10"},
                                              {"Cache-Control", "max-age=60"}});
    REQUIRE(verdict(get(), resp) == NotStored::stored);
    const Seconds life = lifetime(resp);
    const Seconds initial = corrected_initial_age(resp, nov_6_1994, nov_6_1994 + 2);
    CHECK(initial == 12);
    // current_age = corrected_initial_age + resident_time (RFC 9111 §4.2.3)
    CHECK(servable(get(), resp.cache_control, initial + 47, life) == Servable::fresh);
    CHECK(servable(get(), resp.cache_control, initial + 48, life) == Servable::must_validate);
}

// A route's rules (cache/route.hpp) as policy inputs: docs/configuration.md, "Routes".
TEST_CASE("a route's default_ttl is the freshness of a response that gives none") {
    ResponseRules rules;
    rules.default_ttl = 120;
    const PolicyOptions options = with_rules({}, rules);
    const ResponseFacts bare = response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}});
    CHECK(freshness_lifetime(bare, {}) == 0);
    CHECK(freshness_lifetime(bare, options) == 120);
    // Instead of the heuristic, too.
    const ResponseFacts modified =
        response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                       {"Last-Modified", "Sun, 06 Nov 1994 07:49:37 GMT"}});
    CHECK(freshness_lifetime(modified, {}) == 360);
    CHECK(freshness_lifetime(modified, options) == 120);
    // The response's own freshness wins over a default.
    CHECK(freshness_lifetime(response_with("max-age=5"), options) == 5);
    CHECK(freshness_lifetime(response_with("no-cache"), options) == 0);
    CHECK(freshness_lifetime(response(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                            {"Expires", "Sun, 06 Nov 1994 08:49:47 GMT"}}),
                             options) == 10);
    // A status not heuristically cacheable gets no default.
    CHECK(freshness_lifetime(response(302), options) == 0);
}

TEST_CASE("a route's forced_ttl overrides the response's freshness, not no-store or private") {
    ResponseRules rules;
    rules.forced_ttl = 300;
    const PolicyOptions options = with_rules({}, rules);
    CHECK(freshness_lifetime(response_with("max-age=1"), options) == 300);
    CHECK(freshness_lifetime(response_with("s-maxage=9000"), options) == 300);
    CHECK(freshness_lifetime(response_with("no-cache"), options) == 300);
    CHECK(freshness_lifetime(response(200), options) == 300);
    CHECK(verdict(get(), response_with("no-store"), options) == NotStored::no_store);
    CHECK(verdict(get(), response_with("private"), options) == NotStored::private_directive);
    CHECK(verdict(get(), response_with("max-age=1"), options) == NotStored::stored);
}

TEST_CASE("a route's Set-Cookie rules: store it as the global flag does, or store it stripped") {
    const ResponseFacts with_cookie =
        response(200, {{"Cache-Control", "max-age=60"}, {"Set-Cookie", "s=1"}});
    CHECK(verdict(get(), with_cookie) == NotStored::set_cookie);
    ResponseRules store;
    store.store_set_cookie = true;
    CHECK(verdict(get(), with_cookie, with_rules({}, store)) == NotStored::stored);
    ResponseRules strip;
    strip.strip_set_cookie = true;
    CHECK(verdict(get(), with_cookie, with_rules({}, strip)) == NotStored::stored);
    CHECK(with_rules({}, strip).strip_set_cookie);
    // The global flag stays on under a route that says nothing.
    PolicyOptions global;
    global.store_set_cookie = true;
    CHECK(with_rules(global, {}).store_set_cookie);
    CHECK_FALSE(with_rules(global, {}).default_ttl);
}
