#include "config/units.hpp"

#include <charconv>
#include <initializer_list>
#include <limits>

#include "http/header_view.hpp"

namespace cachet::config {
namespace {

struct NumberAndSuffix {
    std::uint64_t number;
    std::string_view suffix;
};

std::optional<NumberAndSuffix> split_number(std::string_view text) noexcept {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end == text.data()) return std::nullopt;
    return NumberAndSuffix{n, text.substr(static_cast<std::size_t>(end - text.data()))};
}

std::optional<std::uint64_t> scaled(std::uint64_t n, std::uint64_t unit) noexcept {
    if (n > std::numeric_limits<std::uint64_t>::max() / unit) return std::nullopt;
    return n * unit;
}

std::string with_largest_unit(std::uint64_t n, std::initializer_list<NumberAndSuffix> units) {
    for (const auto& unit : units) {
        if (n != 0 && n % unit.number == 0)
            return std::to_string(n / unit.number) + std::string(unit.suffix);
    }
    return std::to_string(n);
}

}  // namespace

std::optional<std::size_t> parse_size(std::string_view text) noexcept {
    auto parts = split_number(text);
    if (!parts) return std::nullopt;
    std::string_view s = parts->suffix;
    std::uint64_t unit = 1;
    using http::iequals;
    if (s.empty() || iequals(s, "b"))
        unit = 1;
    else if (iequals(s, "k") || iequals(s, "kb") || iequals(s, "kib"))
        unit = 1ull << 10;
    else if (iequals(s, "m") || iequals(s, "mb") || iequals(s, "mib"))
        unit = 1ull << 20;
    else if (iequals(s, "g") || iequals(s, "gb") || iequals(s, "gib"))
        unit = 1ull << 30;
    else
        return std::nullopt;
    return scaled(parts->number, unit);
}

std::optional<Millis> parse_duration(std::string_view text) noexcept {
    auto parts = split_number(text);
    if (!parts) return std::nullopt;
    std::string_view s = parts->suffix;
    std::uint64_t unit = 0;
    if (s == "ms")
        unit = 1;
    else if (s.empty() || s == "s")
        unit = 1000;
    else if (s == "m")
        unit = 60'000;
    else if (s == "h")
        unit = 3'600'000;
    else
        return std::nullopt;
    return scaled(parts->number, unit);
}

std::string format_size(std::size_t bytes) {
    return with_largest_unit(bytes, {{1ull << 30, "g"}, {1ull << 20, "m"}, {1ull << 10, "k"}});
}

std::string format_duration(Millis ms) {
    return with_largest_unit(ms, {{3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}});
}

}  // namespace cachet::config
