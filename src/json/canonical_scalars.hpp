#pragma once
// The one spelling canonical JSON gives each string and number (docs/json-keys.md):
// strings escaped as RFC 8785 (JCS) does, numbers as integers when they are integers and
// as the shortest round-trip double otherwise. Appends to `out`; no parser involved.
#include <cstdint>
#include <string>
#include <string_view>

namespace cachet::json {

// `text` (unescaped UTF-8) as a JSON string: only '"', '\\' and the bytes below 0x20 are
// escaped, as \b \f \n \r \t or \u00XX (lowercase hex); every other byte is written as is.
void write_canonical_string(std::string_view text, std::string& out);

void write_canonical_number(std::int64_t value, std::string& out);
void write_canonical_number(std::uint64_t value, std::string& out);

// An integral double that an int64 or uint64 holds exactly is written as that integer, so
// 1.0, 1e0 and 10E-1 read as 1 read the same as the integer 1; -0 is 0; any other double
// is std::to_chars' shortest spelling that reads back as the same double (1e+300, 0.1).
void write_canonical_number(double value, std::string& out);

}  // namespace cachet::json
