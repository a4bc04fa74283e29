#pragma once
// IMF-fixdate (RFC 9110 §5.6.7), the only date format an origin should send.
#include <ctime>
#include <string>

namespace cachet::tools {

inline std::string http_date(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(buf, n);
}

}  // namespace cachet::tools
