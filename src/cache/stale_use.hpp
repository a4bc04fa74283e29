#pragma once
// What to do with a stored response that is no longer fresh (RFC 9111 §4.2.4, §4.3;
// RFC 5861 stale-while-revalidate / stale-if-error). A pure function of the request's
// directives, the entry's rules and its age.
#include <cstdint>
#include <string_view>

#include "cache/entry.hpp"
#include "cache/policy.hpp"

namespace cachet::cache {

enum class StaleUse : std::uint8_t {
    serve,              // the request accepts it stale (max-stale, RFC 9111 §5.2.1.2)
    serve_and_refresh,  // stale-while-revalidate: serve now, revalidate in the background
    revalidate,         // ask the origin with the stored validators (RFC 9111 §4.3.1)
    refetch,            // nothing to validate with: an ordinary miss
};
std::string_view name(StaleUse use) noexcept;

// `request` is null when the request carried no cache directives.
StaleUse stale_use(const RequestFacts* request, const Entry& entry, Seconds now) noexcept;

// Whether the stored response may stand in for a failed or 5xx answer (RFC 5861 §4): within
// its stale-if-error window and not bound by must-revalidate (RFC 9111 §4.2.4).
bool may_serve_on_error(const Entry& entry, Seconds now) noexcept;

}  // namespace cachet::cache
