#pragma once
// RFC 6901 JSON Pointers, as a config file names the parts of a body to leave out of a key:
// "/id", "/meta/requestId", "/a~1b" (member "a/b"), "/items/0/ts", and "" (the whole
// document). Parsed once, at config load; matching lives in pointer_cursor.hpp.
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace cachet::json {

struct JsonPointer {
    std::string text;                 // as written in the config
    std::vector<std::string> tokens;  // reference tokens, ~0 and ~1 unescaped; none for ""
};

// The pointer, or one line a config error can prefix with the field's name, e.g.
//   json pointer "meta": must start with '/' (like "/meta")
//   json pointer "/a~2": '~' must be followed by 0 (for '~') or 1 (for '/')
tl::expected<JsonPointer, std::string> parse_json_pointer(std::string_view text);

// Whether `token` names array element `index`: RFC 6901 §4 allows "0" or digits without a
// leading zero; "-" (past the last element) names no element that exists.
bool names_index(std::string_view token, std::size_t index) noexcept;

}  // namespace cachet::json
