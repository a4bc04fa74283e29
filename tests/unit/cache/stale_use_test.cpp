#include <doctest/doctest.h>

#include "cache/stale_use.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

// An entry received at t=1000 with max-age=60: fresh until 1060.
EntryRef entry_with(StaleRules rules) {
    Entry::Spec spec;
    spec.key = "GET\x1fhost\x1f/";
    spec.head = "HTTP/1.1 200 OK\r\n";
    spec.freshness = Freshness{1000, 0, 60, 5000};
    spec.stale = rules;
    return Entry::create(spec);
}

RequestFacts request_with(std::string_view cache_control) {
    RequestFacts facts;
    facts.method = http::Method::get;
    facts.cache_control = http::parse_cache_control(cache_control);
    return facts;
}

}  // namespace

TEST_CASE(
    "a stale entry without validators is refetched, with validators revalidated (RFC 9111 "
    "§4.3.1)") {
    CHECK(stale_use(nullptr, *entry_with({}), 1100) == StaleUse::refetch);
    CHECK(stale_use(nullptr, *entry_with({.has_validators = true}), 1100) == StaleUse::revalidate);
}

TEST_CASE("stale-while-revalidate serves within its window and revalidates past it (RFC 5861 §3)") {
    auto entry = entry_with({.while_revalidate = 30});
    CHECK(stale_use(nullptr, *entry, 1070) == StaleUse::serve_and_refresh);
    CHECK(stale_use(nullptr, *entry, 1090) == StaleUse::serve_and_refresh);
    CHECK(stale_use(nullptr, *entry, 1091) == StaleUse::refetch);
}

TEST_CASE("must-revalidate overrides stale-while-revalidate (RFC 9111 §5.2.2.2)") {
    auto entry = entry_with({.while_revalidate = 30, .must_revalidate = true});
    CHECK(stale_use(nullptr, *entry, 1070) == StaleUse::refetch);
}

TEST_CASE("a request's max-stale accepts staleness up to its value (RFC 9111 §5.2.1.2)") {
    auto entry = entry_with({});
    auto facts = request_with("max-stale=20");
    CHECK(stale_use(&facts, *entry, 1075) == StaleUse::serve);
    CHECK(stale_use(&facts, *entry, 1085) == StaleUse::refetch);
    auto any = request_with("max-stale");
    CHECK(stale_use(&any, *entry, 4000) == StaleUse::serve);
}

TEST_CASE(
    "a request's no-cache or max-age keeps stale-while-revalidate from serving stale (RFC 9111 "
    "§5.2.1)") {
    auto entry = entry_with({.while_revalidate = 30, .has_validators = true});
    auto no_cache = request_with("no-cache");
    CHECK(stale_use(&no_cache, *entry, 1070) == StaleUse::revalidate);
    auto max_age = request_with("max-age=5");
    CHECK(stale_use(&max_age, *entry, 1070) == StaleUse::revalidate);
}

TEST_CASE("stale-if-error covers its window unless must-revalidate forbids it (RFC 5861 §4)") {
    CHECK(may_serve_on_error(*entry_with({.if_error = 100}), 1100));
    CHECK(may_serve_on_error(*entry_with({.if_error = 100}), 1160));
    CHECK_FALSE(may_serve_on_error(*entry_with({.if_error = 100}), 1161));
    CHECK_FALSE(may_serve_on_error(*entry_with({.if_error = 100, .must_revalidate = true}), 1100));
    CHECK_FALSE(may_serve_on_error(*entry_with({}), 1100));
}
