#pragma once
// Conditional requests (RFC 9110 §13.1-§13.2) evaluated against a stored response, as a
// cache must (RFC 9111 §4.3.2) or as an origin would. Pure: the request's fields, the
// stored response's validators and `now` go in, a decision comes out.
//
// Precedence is RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since; then If-None-Match,
// else If-Modified-Since. Step 5 (If-Range) belongs to range.hpp.
#include <cstdint>
#include <string_view>

#include "cache/validators.hpp"
#include "http/header_view.hpp"
#include "http/method.hpp"
#include "util/time.hpp"

namespace cachet::cache {

enum class Precondition : std::uint8_t {
    proceed,              // answer as if the request had no preconditions
    not_modified,         // answer 304 from the stored response (RFC 9110 §15.4.5)
    precondition_failed,  // answer 412 (RFC 9110 §15.5.13); only Evaluator::origin says it
    forward,              // a cache must not decide: send the request to the origin
};
std::string_view name(Precondition outcome) noexcept;  // "proceed", "not-modified", ...

// Who is evaluating. They differ in three places:
// - If-Match and If-Unmodified-Since "only apply to an origin server" (RFC 9111 §4.3.2): a
//   cache answers `forward` instead of evaluating them; the origin evaluates them.
// - Without Last-Modified, a cache compares If-Modified-Since with the stored Date, or the
//   time it received the response (RFC 9111 §4.3.2); an origin without a modification
//   date ignores If-Modified-Since and If-Unmodified-Since (RFC 9110 §13.1.3, §13.1.4).
// - A cache evaluates only for a stored 200 or 206 (RFC 9111 §4.3.2) and only for GET and
//   HEAD, which a stored response can answer (anything else is `forward`); an origin
//   evaluates for any 2xx (RFC 9110 §13.2.1) and any method but CONNECT, OPTIONS, TRACE.
//   Where preconditions are not evaluated because of the stored status, the answer is
//   `proceed`: the origin would send that status whatever the preconditions said.
enum class Evaluator : std::uint8_t { cache, origin };

// `method` as sent (methods are case-sensitive, RFC 9110 §9.1). `request` holds every
// request field; repeated If-Match / If-None-Match lines are read as one list, a repeated
// If-Modified-Since / If-Unmodified-Since is "more than one member" and ignored. `now`
// only resolves RFC 850 two-digit years.
Precondition evaluate_preconditions(http::Method method, http::HeaderSpan request,
                                    const StoredValidators& stored, Evaluator evaluator,
                                    Seconds now) noexcept;

}  // namespace cachet::cache
