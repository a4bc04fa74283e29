#pragma once
// Which lines of a stored response head are shared between entries (cache/shared_head.hpp)
// and which each entry keeps for itself.
//
// Shared: the status line, and the fields on a short list of those an origin usually sends
// alike for many responses (Content-Type, Cache-Control, Server, Vary, the CORS and
// security fields...). Everything else stays with the entry: the fields that differ per
// response (Date, Content-Length, ETag, Last-Modified, Expires) and any field cachet does
// not know. A field the origin varies anyway (a Cache-Control with a per-response max-age)
// only makes a block with one user, so an unknown field never goes to the shared side,
// where a per-response value (a request id) would cost a block for every entry.
//
// Order: RFC 9110 §5.3 makes the order of fields with different names insignificant and
// that of same-named lines significant; every line of one name goes to the same side, in
// its order, so a head joined as shared + own means what the origin's head meant.
#include <string>
#include <string_view>

namespace cachet::cache {

struct SplitHead {
    std::string shared;  // the status line first, then the shared fields' lines
    std::string own;     // the entry's own lines
};

bool is_shared_field(std::string_view name) noexcept;

// `head`: a status line and field lines, each ending CRLF, without the final empty line.
SplitHead split_head(std::string_view head);

}  // namespace cachet::cache
