#pragma once
// Human units in flags, environment variables and the config file: sizes ("256m", "1g",
// "4096") and durations ("500ms", "2s", "1m"). format_* writes what parse_* reads back exactly.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace cachet::config {

// Bytes; suffixes k, m, g (powers of 1024, case-insensitive, optional trailing "b"/"ib").
std::optional<std::size_t> parse_size(std::string_view text) noexcept;
// Milliseconds; suffixes ms, s, m, h; a bare number is seconds.
std::optional<Millis> parse_duration(std::string_view text) noexcept;

// The largest unit that divides the value exactly: 268435456 -> "256m", 1000 -> "1000" bytes.
std::string format_size(std::size_t bytes);
// The largest unit that divides the value exactly: 2000 -> "2s", 90000 -> "90s", 1500 -> "1500ms".
std::string format_duration(Millis ms);

}  // namespace cachet::config
