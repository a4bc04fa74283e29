#include "cache/conditional.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
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

constexpr std::string_view before = "Sun, 06 Nov 1994 08:49:36 GMT";   // one second earlier
constexpr std::string_view exactly = "Sun, 06 Nov 1994 08:49:37 GMT";  // Last-Modified
constexpr std::string_view after = "Sun, 06 Nov 1994 08:49:38 GMT";    // one second later

// A stored 200 with a strong ETag "v1" and Last-Modified nov_6_1994.
StoredValidators stored(int status = 200) {
    StoredValidators v;
    v.status = status;
    v.etag = cachet::http::EntityTag{"\"v1\"", false};
    v.last_modified = nov_6_1994;
    v.date = nov_6_1994 + 3600;
    v.response_time = nov_6_1994 + 3601;
    return v;
}

StoredValidators stored_weak() {
    StoredValidators v = stored();
    v.etag->weak = true;
    return v;
}

Precondition at_cache(std::initializer_list<HeaderView> headers,
                      const StoredValidators& v = stored(), std::string_view method = "GET") {
    const std::vector<HeaderView> fields(headers);
    return evaluate_preconditions(http::parse_method(method), fields, v, Evaluator::cache, now);
}

Precondition at_origin(std::initializer_list<HeaderView> headers,
                       const StoredValidators& v = stored(), std::string_view method = "GET") {
    const std::vector<HeaderView> fields(headers);
    return evaluate_preconditions(http::parse_method(method), fields, v, Evaluator::origin, now);
}

}  // namespace

TEST_CASE("every precondition outcome has a name for logs") {
    CHECK(name(Precondition::proceed) == "proceed");
    CHECK(name(Precondition::not_modified) == "not-modified");
    CHECK(name(Precondition::precondition_failed) == "precondition-failed");
    CHECK(name(Precondition::forward) == "forward");
}

TEST_CASE("a request without preconditions proceeds (RFC 9110 §13.2.2 step 6)") {
    CHECK(at_cache({}) == Precondition::proceed);
    CHECK(at_origin({}) == Precondition::proceed);
    CHECK(at_cache({{"Accept", "*/*"}}) == Precondition::proceed);
}

// --- If-None-Match -----------------------------------------------------------------------

TEST_CASE("If-None-Match with the stored tag gives 304 to GET and HEAD (RFC 9110 §13.1.2)") {
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}) == Precondition::not_modified);
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored(), "HEAD") == Precondition::not_modified);
    CHECK(at_origin({{"If-None-Match", "\"v1\""}}) == Precondition::not_modified);
}

TEST_CASE("If-None-Match without the stored entity-tag proceeds (RFC 9110 §13.1.2)") {
    CHECK(at_cache({{"If-None-Match", "\"v0\""}}) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "\"V1\""}}) == Precondition::proceed);
}

TEST_CASE("If-None-Match uses the weak comparison (RFC 9110 §13.1.2)") {
    CHECK(at_cache({{"If-None-Match", "W/\"v1\""}}) == Precondition::not_modified);
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored_weak()) == Precondition::not_modified);
    CHECK(at_cache({{"If-None-Match", "W/\"v1\""}}, stored_weak()) == Precondition::not_modified);
}

TEST_CASE("If-None-Match lists are read across members and field lines (RFC 9110 §5.3)") {
    CHECK(at_cache({{"If-None-Match", "\"a\", \"b\" ,W/\"v1\""}}) == Precondition::not_modified);
    CHECK(at_cache({{"If-None-Match", "\"a\""}, {"if-none-match", "\"v1\""}}) ==
          Precondition::not_modified);
    CHECK(at_cache({{"If-None-Match", "\"a\", \"b\""}}) == Precondition::proceed);
}

TEST_CASE("If-None-Match: * matches any stored representation (RFC 9110 §13.1.2)") {
    CHECK(at_cache({{"If-None-Match", "*"}}) == Precondition::not_modified);
    StoredValidators no_etag = stored();
    no_etag.etag.reset();
    CHECK(at_cache({{"If-None-Match", " * "}}, no_etag) == Precondition::not_modified);
}

TEST_CASE("\"*\" beside entity-tags is not a wildcard: it matches nothing") {
    CHECK(at_cache({{"If-None-Match", "*, \"x\""}}) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "*"}, {"If-None-Match", "\"x\""}}) == Precondition::proceed);
}

TEST_CASE("If-None-Match with a list never matches a response without an ETag") {
    StoredValidators no_etag = stored();
    no_etag.etag.reset();
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, no_etag) == Precondition::proceed);
}

TEST_CASE("malformed If-None-Match members never give a 304") {
    CHECK(at_cache({{"If-None-Match", "v1"}}) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", ""}}) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "\"v1"}}) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "w/\"v1\""}}) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "junk, \"v1\""}}) == Precondition::not_modified);
}

TEST_CASE("a failed If-None-Match on another method is a 412 at the origin (RFC 9110 §13.1.2)") {
    CHECK(at_origin({{"If-None-Match", "*"}}, stored(), "PUT") ==
          Precondition::precondition_failed);
    CHECK(at_origin({{"If-None-Match", "\"v0\""}}, stored(), "PUT") == Precondition::proceed);
}

// --- If-Modified-Since -------------------------------------------------------------------

TEST_CASE("If-Modified-Since at or after Last-Modified gives 304 (RFC 9110 §13.1.3)") {
    CHECK(at_cache({{"If-Modified-Since", exactly}}) == Precondition::not_modified);
    CHECK(at_cache({{"If-Modified-Since", after}}) == Precondition::not_modified);
    CHECK(at_origin({{"If-Modified-Since", after}}) == Precondition::not_modified);
    CHECK(at_cache({{"If-Modified-Since", before}}) == Precondition::proceed);
}

TEST_CASE("If-Modified-Since accepts the obsolete date formats (RFC 9110 §5.6.7)") {
    CHECK(at_cache({{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}}) ==
          Precondition::not_modified);
    CHECK(at_cache({{"If-Modified-Since", "Sun Nov  6 08:49:37 1994"}}) ==
          Precondition::not_modified);
}

TEST_CASE("an invalid If-Modified-Since date is ignored (RFC 9110 §13.1.3)") {
    CHECK(at_cache({{"If-Modified-Since", "yesterday"}}) == Precondition::proceed);
    CHECK(at_cache({{"If-Modified-Since", ""}}) == Precondition::proceed);
    CHECK(at_cache({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 PST"}}) ==
          Precondition::proceed);
    CHECK(at_cache({{"If-Modified-Since", "784111777"}}) == Precondition::proceed);
}

TEST_CASE("an If-Modified-Since with more than one member is ignored (RFC 9110 §13.1.3)") {
    CHECK(at_cache({{"If-Modified-Since", std::string(after) + ", " + std::string(after)}}) ==
          Precondition::proceed);
    CHECK(at_cache({{"If-Modified-Since", after}, {"If-Modified-Since", after}}) ==
          Precondition::proceed);
}

TEST_CASE("If-Modified-Since is ignored when If-None-Match is present (RFC 9110 §13.1.3)") {
    CHECK(at_cache({{"If-None-Match", "\"v0\""}, {"If-Modified-Since", after}}) ==
          Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "garbage"}, {"If-Modified-Since", after}}) ==
          Precondition::proceed);
    CHECK(at_cache({{"If-Modified-Since", before}, {"If-None-Match", "\"v1\""}}) ==
          Precondition::not_modified);
}

TEST_CASE("If-Modified-Since is ignored for methods other than GET and HEAD (RFC 9110 §13.1.3)") {
    CHECK(at_origin({{"If-Modified-Since", after}}, stored(), "POST") == Precondition::proceed);
    CHECK(at_origin({{"If-Modified-Since", after}}, stored(), "HEAD") ==
          Precondition::not_modified);
}

TEST_CASE("without Last-Modified a cache compares If-Modified-Since with Date (RFC 9111 §4.3.2)") {
    StoredValidators v = stored();
    v.last_modified.reset();
    v.date = nov_6_1994;
    CHECK(at_cache({{"If-Modified-Since", exactly}}, v) == Precondition::not_modified);
    CHECK(at_cache({{"If-Modified-Since", before}}, v) == Precondition::proceed);
}

TEST_CASE("without Last-Modified or Date a cache uses its response time (RFC 9111 §4.3.2)") {
    StoredValidators v = stored();
    v.last_modified.reset();
    v.date.reset();
    v.response_time = nov_6_1994;
    CHECK(at_cache({{"If-Modified-Since", exactly}}, v) == Precondition::not_modified);
    CHECK(at_cache({{"If-Modified-Since", before}}, v) == Precondition::proceed);
}

TEST_CASE("an origin without a modification date ignores If-Modified-Since (RFC 9110 §13.1.3)") {
    StoredValidators v = stored();
    v.last_modified.reset();
    CHECK(at_origin({{"If-Modified-Since", after}}, v) == Precondition::proceed);
}

// --- If-Match and If-Unmodified-Since ----------------------------------------------------

TEST_CASE("a cache forwards If-Match and If-Unmodified-Since unevaluated (RFC 9111 §4.3.2)") {
    CHECK(at_cache({{"If-Match", "\"v1\""}}) == Precondition::forward);
    CHECK(at_cache({{"If-Match", "\"nope\""}}) == Precondition::forward);
    CHECK(at_cache({{"If-Unmodified-Since", after}}) == Precondition::forward);
    CHECK(at_cache({{"If-Match", "*"}, {"If-None-Match", "\"v1\""}}) == Precondition::forward);
}

TEST_CASE("a cache ignores an If-Unmodified-Since any server would ignore (RFC 9110 §13.1.4)") {
    CHECK(at_cache({{"If-Unmodified-Since", "not a date"}}) == Precondition::proceed);
    CHECK(at_cache({{"If-Unmodified-Since", after}, {"If-Unmodified-Since", after}}) ==
          Precondition::proceed);
}

TEST_CASE("If-Match uses the strong comparison (RFC 9110 §13.1.1)") {
    CHECK(at_origin({{"If-Match", "\"v1\""}}) == Precondition::proceed);
    CHECK(at_origin({{"If-Match", "W/\"v1\""}}) == Precondition::precondition_failed);
    CHECK(at_origin({{"If-Match", "\"v1\""}}, stored_weak()) == Precondition::precondition_failed);
    CHECK(at_origin({{"If-Match", "\"a\", \"v1\""}}) == Precondition::proceed);
    CHECK(at_origin({{"If-Match", "\"a\""}, {"If-Match", "\"v1\""}}) == Precondition::proceed);
}

TEST_CASE("If-Match: * holds whenever a representation exists (RFC 9110 §13.1.1)") {
    StoredValidators no_etag = stored();
    no_etag.etag.reset();
    CHECK(at_origin({{"If-Match", "*"}}, no_etag) == Precondition::proceed);
    CHECK(at_origin({{"If-Match", "\"v1\""}}, no_etag) == Precondition::precondition_failed);
}

TEST_CASE("a malformed If-Match fails rather than being ignored") {
    CHECK(at_origin({{"If-Match", "v1"}}) == Precondition::precondition_failed);
    CHECK(at_origin({{"If-Match", ""}}) == Precondition::precondition_failed);
}

TEST_CASE("If-Unmodified-Since fails when the representation changed since (RFC 9110 §13.1.4)") {
    CHECK(at_origin({{"If-Unmodified-Since", exactly}}) == Precondition::proceed);
    CHECK(at_origin({{"If-Unmodified-Since", after}}) == Precondition::proceed);
    CHECK(at_origin({{"If-Unmodified-Since", before}}) == Precondition::precondition_failed);
}

TEST_CASE("If-Unmodified-Since is ignored when If-Match is present (RFC 9110 §13.1.4)") {
    CHECK(at_origin({{"If-Match", "\"v1\""}, {"If-Unmodified-Since", before}}) ==
          Precondition::proceed);
}

TEST_CASE("an invalid or unanswerable If-Unmodified-Since is ignored (RFC 9110 §13.1.4)") {
    CHECK(at_origin({{"If-Unmodified-Since", "soon"}}) == Precondition::proceed);
    CHECK(at_origin({{"If-Unmodified-Since", std::string(before) + ", " + std::string(after)}}) ==
          Precondition::proceed);
    StoredValidators no_date = stored();
    no_date.last_modified.reset();
    CHECK(at_origin({{"If-Unmodified-Since", before}}, no_date) == Precondition::proceed);
}

// --- precedence --------------------------------------------------------------------------

TEST_CASE("If-Match is evaluated before If-None-Match (RFC 9110 §13.2.2 steps 1 and 3)") {
    CHECK(at_origin({{"If-None-Match", "\"v1\""}, {"If-Match", "\"nope\""}}) ==
          Precondition::precondition_failed);
    CHECK(at_origin({{"If-None-Match", "\"v1\""}, {"If-Match", "\"v1\""}}) ==
          Precondition::not_modified);
}

TEST_CASE("If-Unmodified-Since is evaluated before If-Modified-Since (RFC 9110 §13.2.2)") {
    CHECK(at_origin({{"If-Modified-Since", after}, {"If-Unmodified-Since", before}}) ==
          Precondition::precondition_failed);
    CHECK(at_origin({{"If-Modified-Since", after}, {"If-Unmodified-Since", after}}) ==
          Precondition::not_modified);
}

// --- when preconditions are not evaluated ------------------------------------------------

TEST_CASE("a cache evaluates preconditions only for a stored 200 or 206 (RFC 9111 §4.3.2)") {
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored(206)) == Precondition::not_modified);
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored(404)) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored(301)) == Precondition::proceed);
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored(203)) == Precondition::proceed);
    CHECK(at_cache({{"If-Match", "\"nope\""}}, stored(404)) == Precondition::proceed);
}

TEST_CASE("an origin ignores preconditions when it would not answer 2xx (RFC 9110 §13.2.1)") {
    CHECK(at_origin({{"If-None-Match", "\"v1\""}}, stored(203)) == Precondition::not_modified);
    CHECK(at_origin({{"If-Match", "\"nope\""}}, stored(404)) == Precondition::proceed);
    CHECK(at_origin({{"If-Match", "\"nope\""}}, stored(0)) == Precondition::proceed);
}

TEST_CASE("a cache forwards preconditions on methods it cannot answer (RFC 9111 §4.3.2)") {
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored(), "POST") == Precondition::forward);
    CHECK(at_cache({{"If-None-Match", "\"v1\""}}, stored(), "get") == Precondition::forward);
    CHECK(at_cache({}, stored(), "DELETE") == Precondition::forward);
}

TEST_CASE("CONNECT, OPTIONS and TRACE ignore preconditions (RFC 9110 §13.2.1)") {
    CHECK(at_origin({{"If-Match", "\"nope\""}}, stored(), "OPTIONS") == Precondition::proceed);
    CHECK(at_origin({{"If-None-Match", "*"}}, stored(), "TRACE") == Precondition::proceed);
    CHECK(at_origin({{"If-None-Match", "*"}}, stored(), "CONNECT") == Precondition::proceed);
}

TEST_CASE("random precondition values never crash and a cache never answers 412") {
    std::mt19937 rng(13);
    const std::vector<std::string_view> names = {"If-Match", "If-None-Match", "If-Modified-Since",
                                                 "If-Unmodified-Since"};
    const std::string alphabet = "W/\"v1*, GMTSun06Nov1994:";
    for (int round = 0; round < 5000; ++round) {
        std::vector<std::string> values;
        std::vector<HeaderView> fields;
        const int count = static_cast<int>(rng() % 4);
        values.reserve(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            std::string value;
            const int size = static_cast<int>(rng() % 32);
            for (int j = 0; j < size; ++j) {
                value += (rng() % 6 == 0) ? static_cast<char>(rng() % 256)
                                          : alphabet[rng() % alphabet.size()];
            }
            values.push_back(std::move(value));
        }
        for (int i = 0; i < count; ++i) {
            fields.push_back({names[rng() % names.size()], values[static_cast<std::size_t>(i)]});
        }
        const auto cache =
            evaluate_preconditions(http::Method::get, fields, stored(), Evaluator::cache, now);
        REQUIRE(cache != Precondition::precondition_failed);
        (void)evaluate_preconditions(http::Method::put, fields, stored(), Evaluator::origin, now);
    }
}
