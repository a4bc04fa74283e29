#pragma once
// What the structured fields of the config file (routes, origins) share: the value as an
// error message names it, and the message itself, `where: expected what, got value`.
#include <string>
#include <string_view>

#include <simdjson.h>

namespace cachet::config {

// "\"thirty\"", "the number 3", "true", "null", "an array", "an object".
std::string describe(simdjson::dom::element value);

// `where: expected what, got <value>`.
std::string expected(const std::string& where, std::string_view what, simdjson::dom::element value);

// `where.key: unknown field (fields)`.
std::string unknown(const std::string& where, std::string_view key, std::string_view fields);

}  // namespace cachet::config
