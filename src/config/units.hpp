#pragma once
// Human units in flags and environment variables: sizes ("256m", "1g", "4096") and
// durations ("500ms", "2s", "1m").
#include <cstddef>
#include <optional>
#include <string_view>

#include "util/time.hpp"

namespace cachet::config {

// Bytes; suffixes k, m, g (powers of 1024, case-insensitive, optional trailing "b"/"ib").
std::optional<std::size_t> parse_size(std::string_view text) noexcept;
// Milliseconds; suffixes ms, s, m, h; a bare number is seconds.
std::optional<Millis> parse_duration(std::string_view text) noexcept;

}  // namespace cachet::config
