#pragma once
// Invalidation by unsafe requests (RFC 9111 §4.4): which stored responses a response to
// POST, PUT, DELETE, PATCH or any method not known to be safe makes obsolete. Pure: the
// caller removes (or marks) the entries these targets name.
//
// Each target is a host and an origin-form target, ready for
// build_key(buffer, target.host, target.target): every stored response is keyed as GET
// (a HEAD is answered from a stored GET). Which methods are safe: http::is_safe.
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "http/method.hpp"

namespace cachet::cache {

// The exchange that may invalidate: the request as sent and the response's status and
// location fields ("" when absent).
struct UnsafeExchange {
    http::Method method = http::Method::other;
    std::string_view host;    // the request's Host field value
    std::string_view target;  // the request-target: origin-form or absolute-form
    int status = 0;
    std::string_view location;          // Location (RFC 9110 §10.2.2)
    std::string_view content_location;  // Content-Location (RFC 9110 §8.7)
};

struct InvalidationTarget {
    std::string_view host;
    std::string_view target;  // path and query
};

// Owns the bytes of resolved references; the views in `targets` point into it or into
// the exchange's own strings.
struct Invalidations {
    std::array<InvalidationTarget, 3> targets{};
    std::size_t count = 0;
    std::array<char, 4096> storage;  // resolved Location and Content-Location paths
    std::size_t used = 0;            // bytes of `storage` in use
    std::span<const InvalidationTarget> view() const noexcept { return {targets.data(), count}; }
};

// Fills `out` with what the exchange invalidates, and returns it:
// - nothing for a safe method, or for a status outside 2xx and 3xx (RFC 9111 §4.4: only a
//   "non-error" response invalidates), or for the asterisk-form target "*";
// - the request's target URI (MUST): its host and target exactly as the key would read
//   them (an absolute-form target is passed on whole; build_key takes its authority);
// - Location and Content-Location (MAY), each only when it names the request's origin
//   (RFC 9111 §4.4 MUST NOT otherwise, against denial of service), resolved against the
//   target URI (RFC 3986 §5.2, dot segments removed, fragment dropped):
//   - a relative reference ("/a", "a/b", "../c", "?q") always names the same origin;
//   - an absolute "http://authority/..." or network-path "//authority/..." reference only
//     when its authority is the request's host, compared as keys compare hosts
//     (case-insensitive, default port 80 and a trailing dot ignored, userinfo dropped);
//   - any other scheme ("https:" included: another origin, RFC 9110 §4.3.1), or a value
//     that is not a URI reference (spaces, control bytes), names nothing;
//   - a reference that resolves to the request's own target, or to one already listed, is
//     not listed twice; one that does not fit `storage` is left out (invalidating it was
//     only allowed, never required).
std::span<const InvalidationTarget> invalidations(Invalidations& out,
                                                  const UnsafeExchange& exchange) noexcept;

}  // namespace cachet::cache
