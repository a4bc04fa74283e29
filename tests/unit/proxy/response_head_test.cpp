#include "proxy/response_head.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <vector>

#include "cache/stale_use.hpp"

using namespace cachet;
using namespace cachet::proxy;
using cache::NotStored;
using http::HeaderView;

namespace {

constexpr Seconds received_at = 1'000'000;

OriginRequest get_request() {
    OriginRequest request;
    request.head = "GET /a HTTP/1.1\r\nHost: example.test\r\n\r\n";
    request.method = http::Method::get;
    request.host = "example.test";
    request.target = "/a";
    request.request_time = received_at;
    return request;
}

FillHead head_for(std::initializer_list<HeaderView> fields, int status = 200) {
    const std::vector<HeaderView> headers(fields);
    OriginResponse response;
    response.status = status;
    response.reason = "OK";
    response.headers = headers;
    response.has_content_length = true;
    response.content_length = 5;
    HeadOptions options;
    options.max_object_size = 1 << 20;
    return build_fill_head(get_request(), response, received_at, options);
}

// An entry as store_and_complete builds it from the fill head.
cache::EntryRef entry_from(const FillHead& head) {
    cache::Entry::Spec spec;
    spec.key =
        "GET\x1f"
        "example.test\x1f/a";
    spec.head = head.client_head;
    spec.freshness = head.freshness;
    spec.stale = head.stale;
    return cache::Entry::create(spec);
}

cache::RequestFacts request_with(std::string_view cache_control) {
    cache::RequestFacts facts;
    facts.method = http::Method::get;
    facts.cache_control = http::parse_cache_control(cache_control);
    return facts;
}

}  // namespace

// RFC 9111 §5.2.2.4: "The no-cache response directive, in its unqualified form (without an
// argument), indicates that the response MUST NOT be used to satisfy any other request
// without forwarding it for validation and receiving a successful response".
TEST_CASE(
    "a no-cache response with a validator is stored, with no freshness, for revalidation "
    "(RFC 9111 §5.2.2.4, §4.3)") {
    FillHead head = head_for({{"Cache-Control", "no-cache"}, {"ETag", "\"v1\""}});
    CHECK(head.verdict == NotStored::stored);
    CHECK(head.freshness.lifetime == 0);
    CHECK(head.stale.has_validators);
    CHECK(head.stale.must_revalidate);
}

TEST_CASE(
    "max-age=0, s-maxage=0 and an Expires in the past are stored when a validator comes "
    "with them (RFC 9111 §4.2.1, §4.3.1)") {
    const HeaderView etag{"ETag", "\"v1\""};
    const HeaderView last_modified{"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"};
    CHECK(head_for({{"Cache-Control", "max-age=0"}, etag}).verdict == NotStored::stored);
    CHECK(head_for({{"Cache-Control", "s-maxage=0"}, last_modified}).verdict == NotStored::stored);
    CHECK(head_for({{"Date", "Sun, 06 Nov 1994 09:49:37 GMT"},
                    {"Expires", "Sun, 06 Nov 1994 08:49:37 GMT"},
                    last_modified})
              .verdict == NotStored::stored);
    // An Age past the lifetime makes it stale on arrival as well (RFC 9111 §4.2.3).
    CHECK(head_for({{"Cache-Control", "max-age=60"}, {"Age", "600"}, etag}).verdict ==
          NotStored::stored);
}

TEST_CASE("a response stale on arrival without a validator is not stored: nothing could use it") {
    for (const char* cc :
         {"no-cache", "max-age=0", "s-maxage=0", "max-age=0, stale-while-revalidate=60"}) {
        CAPTURE(cc);
        CHECK(head_for({{"Cache-Control", cc}}).verdict == NotStored::no_freshness);
    }
    CHECK(head_for({{"Cache-Control", "max-age=60"}, {"Age", "600"}}).verdict ==
          NotStored::no_freshness);
}

TEST_CASE("what makes a response stale on arrival does not override a refusal (RFC 9111 §3)") {
    CHECK(head_for({{"Cache-Control", "no-cache, no-store"}, {"ETag", "\"v1\""}}).verdict ==
          NotStored::no_store);
    CHECK(head_for({{"Cache-Control", "max-age=0, private"}, {"ETag", "\"v1\""}}).verdict ==
          NotStored::private_directive);
}

TEST_CASE("an entry stored stale is kept for the revalidation window from when it was stored") {
    FillHead no_cache = head_for({{"Cache-Control", "no-cache"}, {"ETag", "\"v1\""}});
    CHECK(no_cache.freshness.keep_until == received_at + kRevalidationWindow);
    // Even when its Age puts the end of its freshness long before it arrived.
    FillHead old =
        head_for({{"Cache-Control", "max-age=60"}, {"Age", "100000"}, {"ETag", "\"v1\""}});
    CHECK(old.freshness.keep_until == received_at + kRevalidationWindow);
}

TEST_CASE(
    "keep_until counts the stale windows from the end of freshness, revalidation from storing") {
    cache::StaleRules windows{.while_revalidate = 600, .if_error = 7200};
    CHECK(keep_until(1000, 1060, windows) == 1060 + 7200);
    CHECK(keep_until(1000, 1060, {}) == 1060 + kStaleGrace);
    cache::StaleRules validators{.has_validators = true};
    CHECK(keep_until(1000, 1060, validators) == 1060 + kRevalidationWindow);
    CHECK(keep_until(1000, 900, validators) == 1000 + kRevalidationWindow);
}

// RFC 9111 §4.2.4: "A cache MUST NOT generate a stale response if it is prohibited by an
// explicit in-protocol directive (e.g., by a no-cache response directive ...)".
TEST_CASE(
    "a stored no-cache response is never served without validation, whatever the "
    "client or the stale extensions allow (RFC 9111 §4.2.4, §5.2.2.4)") {
    FillHead head =
        head_for({{"Cache-Control", "no-cache, stale-while-revalidate=60, stale-if-error=60"},
                  {"ETag", "\"v1\""}});
    REQUIRE(head.verdict == NotStored::stored);
    cache::EntryRef entry = entry_from(head);
    CHECK_FALSE(entry->fresh(received_at));
    CHECK(cache::stale_use(nullptr, *entry, received_at) == cache::StaleUse::revalidate);
    CHECK(cache::stale_use(nullptr, *entry, received_at + 5) == cache::StaleUse::revalidate);
    const cache::RequestFacts max_stale = request_with("max-stale");
    CHECK(cache::stale_use(&max_stale, *entry, received_at + 5) == cache::StaleUse::revalidate);
    CHECK_FALSE(cache::may_serve_on_error(*entry, received_at + 5));
}

TEST_CASE(
    "max-age=0 with stale-while-revalidate may still be served stale while it revalidates "
    "(RFC 5861 §3: only no-cache and the revalidate directives forbid it)") {
    FillHead head =
        head_for({{"Cache-Control", "max-age=0, stale-while-revalidate=60"}, {"ETag", "\"v1\""}});
    REQUIRE(head.verdict == NotStored::stored);
    CHECK(cache::stale_use(nullptr, *entry_from(head), received_at + 5) ==
          cache::StaleUse::serve_and_refresh);
}
