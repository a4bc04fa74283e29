#pragma once
// Cache-Control: only-if-cached (RFC 9111 §5.2.1.7): the client wants a stored response or
// nothing. A cache that honours it answers from storage "consistent with the other
// constraints of the request", or with 504 (Gateway Timeout); it never contacts the origin.
#include <optional>

#include "cache/policy.hpp"

namespace cachet::cache {

inline constexpr int only_if_cached_status = 504;  // RFC 9110 §15.6.5

// True when the request must be answered with only_if_cached_status: it carries
// only-if-cached and answering it would need the origin. `stored` is the verdict of
// servable() for the stored response selected for the request, or nullopt when there is
// none (a miss, or no stored variant matches). A stale response that the request allows
// (max-stale) is consistent with its constraints and is served; one that must be
// validated is not, since validating means contacting the origin. `needs_origin` covers
// the other ways a request reaches the origin despite a stored response (a precondition
// a cache must forward, a multi-range request): pass true for those.
bool answer_with_504(const RequestFacts& request, std::optional<Servable> stored,
                     bool needs_origin) noexcept;

}  // namespace cachet::cache
