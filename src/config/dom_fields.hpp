#pragma once
// What the structured fields of the config file (routes, origins) share: the value as an
// error message names it, and the message itself, `where: expected what, got value`.
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "util/time.hpp"

namespace cachet::config {

// "\"thirty\"", "the number 3", "true", "null", "an array", "an object".
std::string describe(simdjson::dom::element value);

// `where: expected what, got <value>`.
std::string expected(const std::string& where, std::string_view what, simdjson::dom::element value);

// A duration written as a string ("500ms", "2s") or a whole number of seconds; none for
// anything else (config/units.hpp).
std::optional<Millis> duration_of(simdjson::dom::element value);

// The field's JSON parsed into `doc` (owned by `parser`); the error names the field.
std::string parse_field(simdjson::dom::parser& parser, std::string_view json,
                        std::string_view field, simdjson::dom::element& doc);

// `where.key: unknown field (fields)`.
std::string unknown(const std::string& where, std::string_view key, std::string_view fields);

}  // namespace cachet::config
