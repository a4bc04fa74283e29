#pragma once
// The body of POST /purge: a JSON object with exactly one of
//   {"url": "http://host/path?q"}
//   {"prefix": "/api/", "host": "optional.example"}
//   {"tag": "product-42"}
// and an optional "soft": true (cache/purge.hpp: stale from now instead of dropped).
// Pure: parsed with simdjson, checked, and normalised as the store matches it.
#include <string>
#include <string_view>

#include "cache/purge.hpp"
#include "util/result.hpp"

namespace cachet::admin {

// The match for Store::purge, or a one-line reason naming the field (for a 400).
tl::expected<cache::PurgeMatch, std::string> parse_purge_body(std::string_view json);

// {"purged":N}
std::string purge_response_json(std::size_t purged);

}  // namespace cachet::admin
