#pragma once
// A request keyed on its body as well (a replay's POST, a route keyed on its body): the
// key gains a separator and the body's 128-bit XXH3 in hex, so two requests share a key
// only when method, host, target and body all match. Keys are capped at 4 KiB
// (cache/key.hpp); a body goes in as its digest, whatever its size.
#include <string_view>

#include "cache/key.hpp"
#include "util/result.hpp"

namespace cachet::cache {

// The part a body adds to a key: "\x1f" "body:" and 32 lowercase hex digits.
inline constexpr std::size_t kBodyKeySize = 1 + 5 + 32;

// Appends the body's part to a key build_key (or build_route_key) made, and hashes the
// key again. key_too_long when it does not fit.
Result<std::string_view> append_body_digest(KeyBuffer& key, std::string_view body);

}  // namespace cachet::cache
