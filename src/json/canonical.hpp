#pragma once
// Canonical JSON: one spelling for every body that means the same JSON value, so that
// bodies differing only in member order, whitespace, escapes or number spelling share a
// cache key. The rules, and why, are in docs/json-keys.md; in short:
//   - objects: members sorted by the bytes of their unescaped UTF-8 key; members with the
//     same key (duplicates) keep their order in the body, since parsers disagree on which
//     one wins and a reordering could change the meaning;
//   - arrays in order; strings and numbers as canonical_scalars.hpp writes them;
//     true, false, null as they are; no whitespace;
//   - ignored pointers: a named object member is left out; a named array element is
//     written as null, so the elements after it keep their indices ([1,X,3] keys alike for
//     every X, but never like [1,3]); the pointer "" ignores the whole body (empty form).
// Invalid JSON, trailing bytes, a number past int64/uint64/double, a body past the parser's
// size or depth limit: an error, and the caller keys the raw bytes instead.
#include <simdjson.h>

#include <span>
#include <string>
#include <string_view>

#include "json/body_parser.hpp"
#include "json/json_error.hpp"
#include "json/json_pointer.hpp"
#include "json/pointer_cursor.hpp"

namespace cachet::json {

// Parses `body` and replaces `out`'s content with its canonical form, the members and
// elements `ignored` names left out as above (at most kMaxPointers pointers). On an error
// `out` is left empty. Reuses `out`'s and the parser's capacity: once they have grown to
// fit the bodies a worker sees, a call allocates nothing.
tl::expected<void, JsonError> canonical_json(std::string_view body,
                                             std::span<const JsonPointer> ignored, std::string& out,
                                             BodyParser& parser);

// Appends the canonical form of `value`, an element of the document `parser` holds now.
// The members and elements inside `value` that `cursor` names are left out or nulled;
// `value` itself is written even when the cursor names it (that is the caller's choice).
tl::expected<void, JsonError> append_canonical(simdjson::dom::element value, PointerCursor cursor,
                                               std::string& out, BodyParser& parser);

}  // namespace cachet::json
