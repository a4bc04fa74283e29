#pragma once
// Cache-Control directives (RFC 9111 §5.2), parsed from one or more field lines.
// Names are case-insensitive; arguments may be tokens or quoted strings.
#include <cstdint>
#include <optional>
#include <string_view>

#include "util/time.hpp"

namespace cachet::http {

// RFC 9111 §1.2.2: "If a cache receives a delta-seconds value greater than the greatest
// integer it can represent, or if any of its subsequent calculations overflows, the cache
// MUST consider the value to be 2147483648 (2^31) or the greatest positive integer it can
// conveniently represent." Every delta-seconds cachet reads saturates here.
inline constexpr Seconds delta_seconds_cap = 2147483648;

struct CacheControl {
    // Delta-seconds arguments; nullopt when absent. An invalid argument (negative,
    // non-integer) makes the directive count as present with the most restrictive
    // meaning the RFC allows (documented per field in cache_control.cpp); values past
    // 2^31 saturate at 2147483648 (RFC 9111 §1.2.2).
    std::optional<Seconds> max_age;
    std::optional<Seconds> s_maxage;
    std::optional<Seconds> max_stale;  // request; present without value = any staleness
    bool max_stale_any = false;        // request `max-stale` without a value
    std::optional<Seconds> min_fresh;  // request
    std::optional<Seconds> stale_while_revalidate;
    std::optional<Seconds> stale_if_error;
    bool no_cache = false;  // unqualified or with field names (see no_cache_fields)
    bool no_cache_has_fields = false;
    bool no_store = false;
    bool no_transform = false;
    bool must_revalidate = false;
    bool proxy_revalidate = false;
    bool must_understand = false;
    bool is_private = false;
    bool private_has_fields = false;
    bool is_public = false;
    bool immutable = false;
    bool only_if_cached = false;  // request
    bool present = false;         // at least one Cache-Control field line was seen

    // Adds the directives of one field line (call once per line, in order).
    void parse_line(std::string_view line) noexcept;
};

inline CacheControl parse_cache_control(std::string_view line) noexcept {
    CacheControl cc;
    cc.parse_line(line);
    return cc;
}

}  // namespace cachet::http
