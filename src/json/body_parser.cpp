#include "json/body_parser.hpp"

#include <cstdlib>

namespace cachet::json {

namespace {

// Small bodies are the common case; the parser grows on demand up to max_bytes.
constexpr std::size_t initial_capacity = 4096;

}  // namespace

BodyParser::BodyParser(ParseLimits limits) : limits_(limits) {
    // simdjson counts the document itself as a level and lets an empty array or object
    // through one level further: with max_depth + 1 it refuses what nests deeper than
    // max_depth, except an empty innermost container, which the canonical writer refuses.
    // Growing the buffers later keeps this depth. allocate() fails only when memory is
    // exhausted. The byte limit is checked before parsing, in parse().
    if (parser_.allocate(initial_capacity, limits_.max_depth + 1) != simdjson::SUCCESS) {
        std::abort();
    }
}

tl::expected<simdjson::dom::element, JsonError> BodyParser::parse(std::string_view body) {
    if (body.size() > limits_.max_bytes) return tl::unexpected(JsonError::too_large);
    simdjson::dom::element root;
    // realloc_if_needed: the caller's bytes are not padded, so simdjson copies them into its
    // own buffer, which it keeps and reuses.
    auto error = parser_.parse(body.data(), body.size(), /*realloc_if_needed=*/true).get(root);
    if (error != simdjson::SUCCESS) return tl::unexpected(from_simdjson(error));
    return root;
}

JsonError from_simdjson(simdjson::error_code error) noexcept {
    switch (error) {
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC: return JsonError::too_large;
    case simdjson::DEPTH_ERROR: return JsonError::too_deep;
    // simdjson 3.0 gives NUMBER_ERROR for integers past 64 bits and exponents past double's
    // range as well as for malformed numbers: one reason covers them all.
    case simdjson::NUMBER_ERROR: return JsonError::bad_number;
    default: return JsonError::invalid;
    }
}

}  // namespace cachet::json
