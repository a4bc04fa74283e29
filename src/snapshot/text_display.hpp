#pragma once
// How `cachet snapshot` shows bytes that came from clients and origins: pure functions,
// so that no byte a record holds can move the terminal's cursor or change its colours.
#include <cstddef>
#include <string>
#include <string_view>

namespace cachet::snapshot {

// Control bytes, DEL, a backslash and bytes that are not valid UTF-8 written as \xHH (a
// backslash as \\); all else as is. A key "GET\x1fhost\x1f/a" reads back as typed.
std::string escape_bytes(std::string_view bytes);

// Valid UTF-8 without control characters other than tab, line feed and carriage return.
bool is_printable_text(std::string_view bytes);

// The first `limit` bytes as hex dump lines: "00000000  48 54 54 50 ...  |HTTP....|".
std::string hex_dump(std::string_view bytes, std::size_t limit);

}  // namespace cachet::snapshot
