#pragma once
// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850 and asctime formats.
#include <array>
#include <optional>
#include <string_view>

#include "util/time.hpp"

namespace cachet::http {

// Seconds since the epoch, or nullopt for anything that is not a valid HTTP-date.
// Names and "GMT" match case-insensitively (RFC 9111 §4.2); surrounding whitespace is
// ignored. An RFC 850 date's two-digit year is read relative to `now` (RFC 9110 §5.6.7).
std::optional<Seconds> parse_http_date(std::string_view text, Seconds now) noexcept;

// As above, with `now` read from the system clock, and only when the text is an RFC 850
// date: the other two formats carry a four-digit year and need no clock.
std::optional<Seconds> parse_http_date(std::string_view text) noexcept;

// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (exactly 29 bytes). Times outside
// years 0000..9999 are clamped to the nearest representable one.
using HttpDateText = std::array<char, 29>;
HttpDateText format_http_date(Seconds t) noexcept;

}  // namespace cachet::http
