#pragma once
// Freshening a stored response with a newer response's header fields (RFC 9111 §3.2):
// after a 304 to a validation request (§4.3.4) or a 200 to a HEAD (§4.3.5).
//
// Two questions, asked in this order by the caller:
// 1. Does the new response describe this stored response at all? select_for_update for a
//    304, head_response_matches for a HEAD.
// 2. If so, what is the stored head now? updated_head.
//
// updated_head returns a std::string: it runs on the miss path, once per revalidation, and
// its result is copied into a new Entry anyway. The other functions allocate nothing.
#include <cstdint>
#include <string>
#include <string_view>

#include "cache/validators.hpp"
#include "http/header_view.hpp"
#include "util/time.hpp"

namespace cachet::cache {

// RFC 9111 §4.3.4, for one stored response:
enum class UpdateSelection : std::uint8_t {
    strong_match,   // the 304 carries a strong validator that the stored response has
    weak_match,     // the 304 carries only weak validators and one corresponds: update the
                    // most recent stored response that matches this way
    no_validators,  // neither carries a validator: update only if this is the only stored
                    // response for the request
    mismatch,       // the cache MUST NOT update this stored response from the 304
};
std::string_view name(UpdateSelection selection) noexcept;  // "strong-match", ...

// Validators of the 304 (`response`): its first ETag line, when an entity-tag; its first
// Last-Modified line, when a valid date, strong when the 304's Date is at least a second
// later (RFC 9110 §8.8.2.2). A strong ETag is compared with the strong comparison; a
// strong Last-Modified matches a stored Last-Modified that is equal and itself strong.
// With only weak validators, a weak ETag match or an equal Last-Modified corresponds.
// `now` only resolves RFC 850 two-digit years.
UpdateSelection select_for_update(const StoredValidators& stored, http::HeaderSpan response,
                                  Seconds now) noexcept;

// RFC 9111 §4.3.5: a 200 to a HEAD may update a stored GET response when every validator
// field it carries (ETag, Last-Modified) has the same value in the stored response and,
// when it carries Content-Length, that equals the stored body's size in bytes.
bool head_response_matches(const StoredValidators& stored, std::uint64_t stored_body_size,
                           http::HeaderSpan head_response, Seconds now) noexcept;

struct UpdateOptions {
    bool store_set_cookie = false;            // as cache::PolicyOptions::store_set_cookie
    std::string_view own_via = "1.1 cachet";  // re-added after a Via taken from the response
};

// The stored head (status line and header lines, each ending CRLF, no final empty line, as
// cache::Entry::head()) with the fields of `response` added, each replacing every stored
// line of the same name (RFC 9111 §3.2). The stored status line is kept. Not taken:
// - Content-Length (§3.2 MUST NOT), and Age: cachet writes both per response.
// - Fields excepted from storage (§3.1): hop-by-hop fields and those Connection names
//   (RFC 9110 §7.6.1); Proxy-Authenticate, Proxy-Authentication-Info, Proxy-Authorization;
//   fields named by a qualified `private="..."` or `no-cache="..."` (§5.2.2.7, §5.2.2.4;
//   cache/withheld_fields.hpp), which are also dropped from the stored lines. The names
//   are read from the response's Cache-Control when it carries one (it replaces the
//   stored one), else from the stored Cache-Control.
// - Content-Encoding and Content-Range: they describe the stored bytes, which a 304 does
//   not change; §3.2 lets a cache keep them "to assure integrity of the stored response".
//   Content-Type is taken, as §3.2 asks: the bytes are stored as received, so a new type
//   cannot contradict how they were processed.
// - Set-Cookie, unless options.store_set_cookie: one client's cookie must not be served to
//   every client that hits this entry (the same rule as NotStored::set_cookie).
// - Lines whose name is not a token or whose value holds CR, LF or NUL.
// Date: the response's, or `response_time` when it has none (RFC 9110 §6.6.1: a recipient
// with a clock adds Date), so that freshness is computed from the validation. Via: the
// response's lines, followed by `options.own_via`, replace the stored ones; without Via
// in the response the stored lines stay.
std::string updated_head(std::string_view stored_head, http::HeaderSpan response,
                         Seconds response_time, const UpdateOptions& options);

}  // namespace cachet::cache
