#include "cache/derivation.hpp"

#include "cache/validators.hpp"

namespace cachet::cache {

Derivation derive(http::Method method, http::HeaderSpan request, bool conditional, bool range,
                  const Entry& entry, Seconds now) {
    Derivation out;
    out.stored_head = entry.head().text();
    if (entry.is_partial()) {
        // RFC 9111 §3.3: a partial entry answers a Range inside its bytes and nothing else.
        out.stored_range = content_range_of_head(out.stored_head);
        if (range && out.stored_range)
            out.inside_partial = range_within(method, request, *out.stored_range);
        return out;
    }
    const auto validators = stored_validators(out.stored_head, entry.freshness().response_time);
    if (conditional) {
        out.precondition =
            evaluate_preconditions(method, request, validators, Evaluator::cache, now);
    }
    if (out.precondition == Precondition::proceed && range) {
        out.range = range_for_request(method, request, validators, entry.body().size(), now);
    }
    return out;
}

}  // namespace cachet::cache
