#pragma once
// Fields a shared cache keeps out of what it stores (RFC 9111 §5.2.2.4, §5.2.2.7):
//
// - `private="A, B"`: the named fields are private to the requesting user; a shared cache
//   MUST NOT store them (the rest of the response may be stored).
// - `no-cache="A, B"`: the named fields MUST NOT be sent in a response to a later request
//   without successful validation. cachet does not store them either, so a hit never
//   carries them and the rest of the response can be reused while fresh, which is what
//   the qualified form is for ("prevent the reuse of certain header fields in a response,
//   while still allowing caching of the rest").
//
// Both arguments are read in the quoted form and in the token form (`private=A`).
#include <string>
#include <string_view>

namespace cachet::cache {

// Whether one Cache-Control field value names `field` in a qualified private or no-cache.
bool withholds(std::string_view cache_control, std::string_view field) noexcept;

// `head` (a status line and field lines, each ending CRLF, no final empty line) without the
// lines its own Cache-Control withholds, and without its Set-Cookie lines when
// `without_set_cookie` (a route's strip_set_cookie). A copy: called when an entry is made.
std::string without_withheld_fields(std::string_view head, bool without_set_cookie = false);

// `head` without its Set-Cookie lines, and nothing else withheld.
std::string without_set_cookie(std::string_view head);

}  // namespace cachet::cache
