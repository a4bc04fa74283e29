#pragma once
// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850 and asctime formats.
#include <array>
#include <optional>
#include <string_view>

#include "util/time.hpp"

namespace cachet::http {

// Seconds since the epoch, or nullopt for anything that is not a valid HTTP-date.
std::optional<Seconds> parse_http_date(std::string_view text) noexcept;

// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (exactly 29 bytes).
using HttpDateText = std::array<char, 29>;
HttpDateText format_http_date(Seconds t) noexcept;

}  // namespace cachet::http
