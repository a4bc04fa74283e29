#include "cache/decision.hpp"

#include "cache/stale_use.hpp"

namespace cachet::cache {
namespace {

// The answer a fresh complete entry gives a conditional or Range request, or pass when it
// gives none and the request must go forward (a precondition only the origin evaluates,
// RFC 9111 §4.3.2; several ranges, whose multipart/byteranges body is the origin's to build).
Decision derived_answer(const Derivation& derived) noexcept {
    switch (derived.precondition) {
    case Precondition::not_modified: return Decision::not_modified;
    case Precondition::proceed: break;
    case Precondition::forward:
    case Precondition::precondition_failed: return Decision::pass;
    }
    switch (derived.range.outcome) {
    case RangeOutcome::none: return Decision::serve_hit;
    case RangeOutcome::single: return Decision::range_from_entry;
    case RangeOutcome::unsatisfiable: return Decision::unsatisfiable_range;
    case RangeOutcome::multiple: return Decision::pass;
    }
    return Decision::pass;
}

}  // namespace

std::string_view name(Decision decision) noexcept {
    switch (decision) {
    case Decision::serve_hit: return "serve-hit";
    case Decision::serve_stale: return "serve-stale";
    case Decision::serve_stale_and_refresh: return "serve-stale-and-refresh";
    case Decision::not_modified: return "not-modified";
    case Decision::range_from_entry: return "range-from-entry";
    case Decision::partial_from_entry: return "partial-from-entry";
    case Decision::unsatisfiable_range: return "unsatisfiable-range";
    case Decision::only_if_cached_504: return "only-if-cached-504";
    case Decision::revalidate: return "revalidate";
    case Decision::coalesce: return "coalesce";
    case Decision::fetch_alone: return "fetch-alone";
    case Decision::pass: return "pass";
    }
    return "unknown";
}

std::string_view name(Forward forward) noexcept {
    switch (forward) {
    case Forward::miss: return "miss";
    case Forward::vary_miss: return "vary-miss";
    case Forward::stale: return "stale";
    case Forward::bypass: return "bypass";
    }
    return "miss";
}

bool fresh_for(const RequestFacts* directives, const Entry& entry, Seconds now) noexcept {
    if (!directives) return entry.fresh(now);
    // servable() also says whether max-stale lets a stale response through; here only
    // "fresh" counts, as if the response forbade stale use: stale use is stale_use()'s call.
    http::CacheControl fresh_only;
    fresh_only.must_revalidate = true;
    return servable(*directives, fresh_only, entry.age(now), entry.freshness().lifetime) ==
           Servable::fresh;
}

Verdict decide_in_full(const RequestTraits& traits, const Lookup& found, Seconds now) noexcept {
    const Entry* entry = found.entry;
    // A bypass route: to the origin as a method the cache does not answer (no key, no store).
    if (traits.bypass) return {Decision::pass, Forward::bypass};
    const Forward forward = !http::is_cacheable(traits.method) ? Forward::bypass
                            : found.vary_miss                  ? Forward::vary_miss
                                                               : Forward::miss;
    if (!traits.keyed) return {Decision::pass, forward};
    // ignore_no_cache: the request is decided as if it had no no-cache (RFC 9111 §5.2.1.4)
    // and no Pragma: no-cache (§5.4); its other directives still count.
    RequestTraits request = traits;
    RequestFacts without_no_cache;
    if (traits.ignore_no_cache && traits.directives &&
        (traits.directives->cache_control.no_cache || traits.directives->pragma_no_cache)) {
        without_no_cache = *traits.directives;
        without_no_cache.cache_control.no_cache = false;
        without_no_cache.pragma_no_cache = false;
        request.directives = &without_no_cache;
    }
    const bool head = request.method == http::Method::head;
    // A precondition is answered from a fresh entry, or forwarded as sent with its answer
    // not stored (it may be a 304 or a 412 for this client alone).
    const bool may_store = !request.conditional;
    const bool no_store = request.directives && request.directives->cache_control.no_store;

    if (entry && entry->is_partial()) {
        // RFC 9111 §3.3: a partial entry answers a fresh Range inside its bytes; to any other
        // request (a plain GET, a HEAD, a precondition, a range outside it) it is as if
        // nothing were stored, and a stale one is refetched, never revalidated or served.
        if (request.range && !request.conditional && !head && found.derived &&
            found.derived->inside_partial && fresh_for(request.directives, *entry, now)) {
            return {Decision::partial_from_entry, forward};
        }
        entry = nullptr;
    }

    bool stale_rides_along = false;
    if (entry && fresh_for(request.directives, *entry, now)) {
        if (!request.conditional && !request.range) return {Decision::serve_hit, forward};
        if (found.derived) {
            const Decision answer = derived_answer(*found.derived);
            if (answer != Decision::pass) return {answer, forward};
        }
    } else if (entry && may_store && !request.range) {
        switch (stale_use(request.directives, *entry, now)) {
        case StaleUse::serve: return {Decision::serve_stale, forward};
        case StaleUse::serve_and_refresh:
            // A HEAD is answered from the stored GET; it cannot refresh it.
            return {head ? Decision::serve_stale : Decision::serve_stale_and_refresh, forward};
        case StaleUse::revalidate:
        case StaleUse::refetch: stale_rides_along = true; break;
        }
    }

    if (request.directives && request.directives->cache_control.only_if_cached) {
        // RFC 9111 §5.2.1.7: nothing stored may be used, and the origin must not be asked.
        return {Decision::only_if_cached_504, forward};
    }
    // A HEAD response is not stored, a no-store request's is not either, and a Range's 206
    // answers no plain GET: none of those may be shared with other misses.
    const bool storable_response = may_store && !head && !no_store;
    if (storable_response && !request.range) {
        return {stale_rides_along ? Decision::revalidate : Decision::coalesce, forward};
    }
    return {storable_response ? Decision::fetch_alone : Decision::pass, forward};
}

}  // namespace cachet::cache
