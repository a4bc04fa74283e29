#include "cache/stale_use.hpp"

namespace cachet::cache {

std::string_view name(StaleUse use) noexcept {
    switch (use) {
    case StaleUse::serve: return "serve";
    case StaleUse::serve_and_refresh: return "serve-and-refresh";
    case StaleUse::revalidate: return "revalidate";
    case StaleUse::refetch: return "refetch";
    }
    return "unknown";
}

StaleUse stale_use(const RequestFacts* request, const Entry& entry, Seconds now) noexcept {
    const StaleRules& rules = entry.stale_rules();
    const StaleUse ask_origin = rules.has_validators ? StaleUse::revalidate : StaleUse::refetch;
    Seconds age = entry.age(now);
    Seconds lifetime = entry.freshness().lifetime;
    if (request) {
        if (request->cache_control.no_cache || request->pragma_no_cache) return ask_origin;
        http::CacheControl stored;
        stored.must_revalidate = rules.must_revalidate;
        // max-stale, checked against the stored response's own limits (RFC 9111 §4.2.4).
        if (servable(*request, stored, age, lifetime) == Servable::stale) return StaleUse::serve;
        // A client's max-age or min-fresh asks for something fresher than this.
        if (request->cache_control.max_age || request->cache_control.min_fresh) return ask_origin;
    }
    if (!rules.must_revalidate && entry.staleness(now) <= Seconds{rules.while_revalidate} &&
        rules.while_revalidate > 0) {
        return StaleUse::serve_and_refresh;
    }
    return ask_origin;
}

bool may_serve_on_error(const Entry& entry, Seconds now) noexcept {
    const StaleRules& rules = entry.stale_rules();
    return !rules.must_revalidate && rules.if_error > 0 &&
           entry.staleness(now) <= Seconds{rules.if_error};
}

}  // namespace cachet::cache
