#include "config/units.hpp"

#include <charconv>
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

}  // namespace cachet::config
