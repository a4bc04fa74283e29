#include "cache/decision.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>

#include "http/cache_control.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

constexpr Seconds kNow = 1100;  // every entry below was received at 1000

// What the store holds for the request, as the rows name it.
enum class Stored : std::uint8_t {
    nothing,
    fresh,                  // max-age=600: fresh until 1600
    stale,                  // max-age=60, no validators: stale by 40 s
    stale_with_validators,  // the same with an ETag
    stale_in_swr,           // stale-while-revalidate=60: within it
    stale_past_swr,         // stale-while-revalidate=30: past it
    stale_must_revalidate,  // must-revalidate and stale-while-revalidate=60
    stale_if_error,         // stale-if-error=60: a stand-in on error, not a hit
    partial_fresh,          // a stored 206, fresh
    partial_stale,          // a stored 206, stale
};

EntryRef entry_for(Stored stored) {
    Entry::Spec spec;
    spec.key = "GET\x1fhost\x1f/";
    spec.head = "HTTP/1.1 200 OK\r\n";
    spec.freshness = Freshness{1000, 0, 60, 5000};
    switch (stored) {
    case Stored::nothing: return {};
    case Stored::fresh: spec.freshness.lifetime = 600; break;
    case Stored::stale: break;
    case Stored::stale_with_validators: spec.stale.has_validators = true; break;
    case Stored::stale_in_swr: spec.stale.while_revalidate = 60; break;
    case Stored::stale_past_swr: spec.stale.while_revalidate = 30; break;
    case Stored::stale_must_revalidate:
        spec.stale.while_revalidate = 60;
        spec.stale.must_revalidate = true;
        break;
    case Stored::stale_if_error: spec.stale.if_error = 60; break;
    case Stored::partial_fresh:
        spec.status = 206;
        spec.freshness.lifetime = 600;
        break;
    case Stored::partial_stale: spec.status = 206; break;
    }
    return Entry::create(spec);
}

struct Row {
    const char* rule;  // what the row checks, and the clause it follows
    http::Method method = http::Method::get;
    std::optional<std::string_view> cache_control{};  // the request's; nullopt: no directives
    Stored stored = Stored::nothing;
    bool conditional = false;
    Precondition precondition = Precondition::proceed;  // what the preconditions gave
    bool range = false;
    RangeOutcome range_outcome = RangeOutcome::none;  // what the Range gave (complete entry)
    bool inside_partial = false;                      // the Range lies in the partial entry
    bool vary_miss = false;
    bool keyed = true;
    bool pragma_no_cache = false;  // Pragma: no-cache (with no Cache-Control)
    bool bypass = false;           // the request's route: bypass (the connection keys nothing)
    bool ignore_no_cache = false;  // the request's route: ignore_no_cache
    Decision expected = Decision::pass;
    Forward forward = Forward::miss;
};

const Row kRows[] = {
    // No entry.
    {.rule = "a miss leads or joins a coalesced fetch (RFC 9111 §4)",
     .expected = Decision::coalesce},
    {.rule = "a HEAD miss is forwarded unstored: a HEAD response is not stored (RFC 9111 §3)",
     .method = http::Method::head,
     .expected = Decision::pass},
    {.rule = "another method is forwarded with no key (RFC 9111 §4: only GET is stored here)",
     .method = http::Method::post,
     .keyed = false,
     .expected = Decision::pass,
     .forward = Forward::bypass},
    {.rule = "OPTIONS is forwarded with no key and fwd=bypass",
     .method = http::Method::options,
     .keyed = false,
     .expected = Decision::pass,
     .forward = Forward::bypass},
    {.rule =
         "a request with no-store is forwarded, and its response not stored (RFC 9111 §5.2.1.5)",
     .cache_control = "no-store",
     .expected = Decision::pass},
    {.rule = "a Range miss fetches alone; its 206 may be stored as a partial entry (RFC 9111 §3.3)",
     .range = true,
     .expected = Decision::fetch_alone},
    {.rule = "a conditional miss is forwarded as sent, its answer not stored (RFC 9111 §4.3.2)",
     .conditional = true,
     .expected = Decision::pass},
    {.rule = "only-if-cached with nothing stored is a 504 (RFC 9111 §5.2.1.7)",
     .cache_control = "only-if-cached",
     .expected = Decision::only_if_cached_504},
    {.rule = "directives are case-insensitive: ONLY-IF-CACHED is only-if-cached (RFC 9111 §5.2)",
     .cache_control = "ONLY-IF-CACHED",
     .expected = Decision::only_if_cached_504},
    {.rule = "only-if-cached with a fresh entry the request's max-age refuses is a 504",
     .cache_control = "only-if-cached, max-age=0",
     .stored = Stored::fresh,
     .expected = Decision::only_if_cached_504},
    {.rule = "a URL whose stored variants do not match says fwd=vary-miss (RFC 9211 §2.2)",
     .vary_miss = true,
     .expected = Decision::coalesce,
     .forward = Forward::vary_miss},
    {.rule = "an unkeyable GET (key too long) is forwarded with no key",
     .keyed = false,
     .expected = Decision::pass},

    // A fresh entry.
    {.rule = "a fresh entry is served (RFC 9111 §4.2)",
     .stored = Stored::fresh,
     .expected = Decision::serve_hit},
    {.rule = "a HEAD is answered from the fresh stored GET (RFC 9110 §9.3.2)",
     .method = http::Method::head,
     .stored = Stored::fresh,
     .expected = Decision::serve_hit},
    {.rule = "a fresh entry answers a request that carries unrelated directives",
     .cache_control = "max-stale=5",
     .stored = Stored::fresh,
     .expected = Decision::serve_hit},
    {.rule = "max-age below the entry's age: the entry is validated (RFC 9111 §5.2.1.1)",
     .cache_control = "max-age=10",
     .stored = Stored::fresh,
     .expected = Decision::revalidate},
    {.rule = "min-fresh past the remaining freshness: validated (RFC 9111 §5.2.1.3)",
     .cache_control = "min-fresh=1000",
     .stored = Stored::fresh,
     .expected = Decision::revalidate},
    {.rule = "no-cache in the request: the fresh entry is validated (RFC 9111 §5.2.1.4)",
     .cache_control = "no-cache",
     .stored = Stored::fresh,
     .expected = Decision::revalidate},
    {.rule = "If-None-Match that matches is a 304 from the entry (RFC 9111 §4.3.2)",
     .stored = Stored::fresh,
     .conditional = true,
     .precondition = Precondition::not_modified,
     .expected = Decision::not_modified},
    {.rule = "a precondition that does not hold serves the entry (RFC 9110 §13.2.2)",
     .stored = Stored::fresh,
     .conditional = true,
     .precondition = Precondition::proceed,
     .expected = Decision::serve_hit},
    {.rule = "If-Match is the origin's to evaluate: forwarded, not stored (RFC 9111 §4.3.2)",
     .stored = Stored::fresh,
     .conditional = true,
     .precondition = Precondition::forward,
     .expected = Decision::pass},
    {.rule = "one satisfiable range is a 206 from the entry (RFC 9110 §14.2)",
     .stored = Stored::fresh,
     .range = true,
     .range_outcome = RangeOutcome::single,
     .expected = Decision::range_from_entry},
    {.rule = "an unsatisfiable range is a 416 from the entry (RFC 9110 §15.5.17)",
     .stored = Stored::fresh,
     .range = true,
     .range_outcome = RangeOutcome::unsatisfiable,
     .expected = Decision::unsatisfiable_range},
    {.rule = "several ranges go to the origin alone: multipart is its to build (RFC 9110 §14.6)",
     .stored = Stored::fresh,
     .range = true,
     .range_outcome = RangeOutcome::multiple,
     .expected = Decision::fetch_alone},
    {.rule = "a Range the entry ignores (If-Range failed, another unit) serves the whole entry",
     .stored = Stored::fresh,
     .range = true,
     .range_outcome = RangeOutcome::none,
     .expected = Decision::serve_hit},
    {.rule = "a forwarded precondition with only-if-cached is a 504 (RFC 9111 §5.2.1.7)",
     .cache_control = "only-if-cached",
     .stored = Stored::fresh,
     .conditional = true,
     .precondition = Precondition::forward,
     .expected = Decision::only_if_cached_504},
    {.rule = "only-if-cached with a fresh entry is served (RFC 9111 §5.2.1.7)",
     .cache_control = "only-if-cached",
     .stored = Stored::fresh,
     .expected = Decision::serve_hit},

    // A stale entry.
    {.rule = "a stale entry without validators rides along with a refetch (RFC 9111 §4.3.1)",
     .stored = Stored::stale,
     .expected = Decision::revalidate},
    {.rule = "a stale entry with validators is revalidated (RFC 9111 §4.3.1)",
     .stored = Stored::stale_with_validators,
     .expected = Decision::revalidate},
    {.rule = "stale-while-revalidate serves stale and refreshes in the background (RFC 5861 §3)",
     .stored = Stored::stale_in_swr,
     .expected = Decision::serve_stale_and_refresh},
    {.rule = "a HEAD within stale-while-revalidate is served stale but cannot refresh the GET",
     .method = http::Method::head,
     .stored = Stored::stale_in_swr,
     .expected = Decision::serve_stale},
    {.rule = "past stale-while-revalidate the entry is revalidated (RFC 5861 §3)",
     .stored = Stored::stale_past_swr,
     .expected = Decision::revalidate},
    {.rule = "must-revalidate: never served stale, revalidated (RFC 9111 §4.2.4, §5.2.2.2)",
     .stored = Stored::stale_must_revalidate,
     .expected = Decision::revalidate},
    {.rule = "must-revalidate outweighs the request's max-stale (RFC 9111 §5.2.2.2)",
     .cache_control = "max-stale=100",
     .stored = Stored::stale_must_revalidate,
     .expected = Decision::revalidate},
    {.rule = "stale-if-error only stands in on error: the request still goes forward (RFC 5861 §4)",
     .stored = Stored::stale_if_error,
     .expected = Decision::revalidate},
    {.rule = "max-stale accepts the stale entry (RFC 9111 §5.2.1.2)",
     .cache_control = "max-stale=100",
     .stored = Stored::stale,
     .expected = Decision::serve_stale},
    {.rule = "a max-stale smaller than the staleness does not (RFC 9111 §5.2.1.2)",
     .cache_control = "max-stale=10",
     .stored = Stored::stale,
     .expected = Decision::revalidate},
    {.rule = "no-cache in the request revalidates even within stale-while-revalidate (§5.2.1.4)",
     .cache_control = "no-cache",
     .stored = Stored::stale_in_swr,
     .expected = Decision::revalidate},
    {.rule = "only-if-cached with a stale entry that needs the origin is a 504 (RFC 9111 §5.2.1.7)",
     .cache_control = "only-if-cached",
     .stored = Stored::stale,
     .expected = Decision::only_if_cached_504},
    {.rule = "only-if-cached and max-stale: the stale entry is served (RFC 9111 §5.2.1.7)",
     .cache_control = "only-if-cached, max-stale",
     .stored = Stored::stale,
     .expected = Decision::serve_stale},
    {.rule = "a HEAD for a stale entry is forwarded unstored",
     .method = http::Method::head,
     .stored = Stored::stale_with_validators,
     .expected = Decision::pass},
    {.rule = "a no-store request for a stale entry is forwarded unstored",
     .cache_control = "no-store",
     .stored = Stored::stale_with_validators,
     .expected = Decision::pass},
    {.rule = "a conditional request for a stale entry is forwarded as sent (RFC 9111 §4.3.2)",
     .stored = Stored::stale_with_validators,
     .conditional = true,
     .precondition = Precondition::not_modified,
     .expected = Decision::pass},
    {.rule = "a Range for a stale entry fetches alone, not revalidated",
     .stored = Stored::stale,
     .range = true,
     .range_outcome = RangeOutcome::single,
     .expected = Decision::fetch_alone},

    // A partial entry (RFC 9111 §3.3).
    {.rule = "a fresh partial entry answers a Range inside its bytes",
     .stored = Stored::partial_fresh,
     .range = true,
     .inside_partial = true,
     .expected = Decision::partial_from_entry},
    {.rule = "a Range outside a partial entry's bytes fetches alone",
     .stored = Stored::partial_fresh,
     .range = true,
     .inside_partial = false,
     .expected = Decision::fetch_alone},
    {.rule = "a plain GET finds nothing in a partial entry",
     .stored = Stored::partial_fresh,
     .expected = Decision::coalesce},
    {.rule = "a HEAD finds nothing in a partial entry",
     .method = http::Method::head,
     .stored = Stored::partial_fresh,
     .expected = Decision::pass},
    {.rule = "a stale partial entry is refetched, never revalidated",
     .stored = Stored::partial_stale,
     .range = true,
     .inside_partial = true,
     .expected = Decision::fetch_alone},
    {.rule = "a conditional Range (If-Range) goes past a partial entry",
     .stored = Stored::partial_fresh,
     .conditional = true,
     .range = true,
     .inside_partial = true,
     .expected = Decision::pass},
    {.rule = "only-if-cached with only a partial entry for a plain GET is a 504",
     .cache_control = "only-if-cached",
     .stored = Stored::partial_fresh,
     .expected = Decision::only_if_cached_504},

    // A route's rules (cache/route.hpp, docs/configuration.md "Routes").
    {.rule = "a bypass route forwards a GET with no key and fwd=bypass: never looked up nor stored",
     .keyed = false,
     .bypass = true,
     .expected = Decision::pass,
     .forward = Forward::bypass},
    {.rule = "a bypass route forwards even an only-if-cached request: the cache stays out",
     .cache_control = "only-if-cached",
     .keyed = false,
     .bypass = true,
     .expected = Decision::pass,
     .forward = Forward::bypass},
    {.rule = "Pragma: no-cache validates a fresh entry (RFC 9111 §5.4)",
     .cache_control = "",
     .stored = Stored::fresh,
     .pragma_no_cache = true,
     .expected = Decision::revalidate},
    {.rule = "ignore_no_cache: a request's no-cache is served the fresh entry",
     .cache_control = "no-cache",
     .stored = Stored::fresh,
     .ignore_no_cache = true,
     .expected = Decision::serve_hit},
    {.rule = "ignore_no_cache: Pragma: no-cache is served the fresh entry",
     .cache_control = "",
     .stored = Stored::fresh,
     .pragma_no_cache = true,
     .ignore_no_cache = true,
     .expected = Decision::serve_hit},
    {.rule = "ignore_no_cache leaves the request's other directives: max-age=10 still validates",
     .cache_control = "no-cache, max-age=10",
     .stored = Stored::fresh,
     .ignore_no_cache = true,
     .expected = Decision::revalidate},
    {.rule = "ignore_no_cache: a no-cache request within stale-while-revalidate is served stale",
     .cache_control = "no-cache",
     .stored = Stored::stale_in_swr,
     .ignore_no_cache = true,
     .expected = Decision::serve_stale_and_refresh},
    {.rule = "ignore_no_cache with nothing stored: an ordinary coalesced miss",
     .cache_control = "no-cache",
     .ignore_no_cache = true,
     .expected = Decision::coalesce},
    {.rule = "ignore_no_cache does not lift no-store: forwarded, not stored (RFC 9111 §5.2.1.5)",
     .cache_control = "no-cache, no-store",
     .ignore_no_cache = true,
     .expected = Decision::pass},
};

Verdict decide_row(const Row& row, bool in_full = false) {
    RequestFacts directives;
    directives.method = row.method;
    if (row.cache_control) directives.cache_control = http::parse_cache_control(*row.cache_control);
    directives.pragma_no_cache = row.pragma_no_cache;
    RequestTraits request;
    request.bypass = row.bypass;
    request.ignore_no_cache = row.ignore_no_cache;
    request.method = row.method;
    request.keyed = row.keyed;
    request.conditional = row.conditional;
    request.range = row.range;
    request.directives = row.cache_control ? &directives : nullptr;
    const EntryRef entry = entry_for(row.stored);
    Derivation derived;
    derived.precondition = row.precondition;
    derived.range.outcome = row.range_outcome;
    if (row.inside_partial) derived.inside_partial = RangeSelection{RangeOutcome::single, 0, 9};
    Lookup found;
    found.entry = entry.get();
    found.vary_miss = row.vary_miss;
    if (entry && (row.conditional || row.range)) found.derived = &derived;
    return in_full ? decide_in_full(request, found, kNow) : decide(request, found, kNow);
}

}  // namespace

TEST_CASE("the decision table: every row gives its decision and its fwd") {
    for (const Row& row : kRows) {
        const std::string_view rule = row.rule;
        CAPTURE(rule);
        const Verdict verdict = decide_row(row);
        CHECK(name(verdict.decision) == name(row.expected));
        CHECK(name(verdict.forward) == name(row.forward));
    }
}

TEST_CASE("the inline hit path and the full table agree on every row") {
    for (const Row& row : kRows) {
        const std::string_view rule = row.rule;
        CAPTURE(rule);
        CHECK(decide_row(row).decision == decide_row(row, true).decision);
    }
}

TEST_CASE("every decision is reached by some row of the table") {
    for (auto d = static_cast<int>(Decision::serve_hit); d <= static_cast<int>(Decision::pass);
         ++d) {
        bool reached = false;
        for (const Row& row : kRows) reached = reached || row.expected == static_cast<Decision>(d);
        const std::string_view decision = name(static_cast<Decision>(d));
        CAPTURE(decision);
        CHECK(reached);
    }
}

TEST_CASE("a decision depends on time only through the entry's freshness (RFC 9111 §4.2)") {
    const EntryRef entry = entry_for(Stored::fresh);  // fresh until 1600
    RequestTraits request;
    request.keyed = true;
    Lookup found;
    found.entry = entry.get();
    CHECK(decide(request, found, 1599).decision == Decision::serve_hit);
    CHECK(decide(request, found, 1600).decision == Decision::revalidate);
}

TEST_CASE("fresh_for: the request's max-age and min-fresh narrow freshness (RFC 9111 §5.2.1)") {
    const EntryRef entry = entry_for(Stored::fresh);  // age 100 at kNow, lifetime 600
    RequestFacts directives;
    CHECK(fresh_for(nullptr, *entry, kNow));
    directives.cache_control = http::parse_cache_control("max-age=100");
    CHECK(fresh_for(&directives, *entry, kNow));
    directives.cache_control = http::parse_cache_control("max-age=99");
    CHECK_FALSE(fresh_for(&directives, *entry, kNow));
    directives.cache_control = http::parse_cache_control("min-fresh=500");
    CHECK(fresh_for(&directives, *entry, kNow));
    directives.cache_control = http::parse_cache_control("min-fresh=501");
    CHECK_FALSE(fresh_for(&directives, *entry, kNow));
    directives.cache_control = http::parse_cache_control("max-stale=1000");
    CHECK_FALSE(fresh_for(&directives, *entry_for(Stored::stale), kNow));
}
