#include "http/entity_tag.hpp"
#include "http/tokens.hpp"

#include <cstddef>

namespace cachet::http {
namespace {

constexpr bool is_etagc(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x7e) || u >= 0x80;
}

// Reads one entity-tag at the start of `text` (no leading whitespace) and returns it with
// the number of bytes it used; nullopt when `text` does not start with one.
struct Parsed {
    EntityTag tag;
    std::size_t length = 0;
};

std::optional<Parsed> read_entity_tag(std::string_view text) noexcept {
    Parsed parsed;
    std::size_t i = 0;
    if (text.substr(0, 2) == "W/") {
        parsed.tag.weak = true;
        i = 2;
    }
    if (i >= text.size() || text[i] != '"') return std::nullopt;
    const std::size_t open = i++;
    while (i < text.size() && is_etagc(text[i])) ++i;
    if (i >= text.size() || text[i] != '"') return std::nullopt;
    parsed.tag.opaque = text.substr(open, i + 1 - open);
    parsed.length = i + 1;
    return parsed;
}

}  // namespace

std::optional<EntityTag> parse_entity_tag(std::string_view text) noexcept {
    text = trim_ows(text);
    const auto parsed = read_entity_tag(text);
    if (!parsed || parsed->length != text.size()) return std::nullopt;
    return parsed->tag;
}

bool list_contains(std::string_view field_value, const EntityTag& current,
                   Comparison comparison) noexcept {
    std::string_view rest = field_value;
    while (!rest.empty()) {
        while (!rest.empty() && (is_ows(rest.front()) || rest.front() == ',')) {
            rest.remove_prefix(1);
        }
        if (rest.empty()) break;
        const auto parsed = read_entity_tag(rest);
        if (parsed) {
            // A member is the tag followed by optional whitespace and then a comma or the end.
            std::string_view after = rest.substr(parsed->length);
            while (!after.empty() && is_ows(after.front())) after.remove_prefix(1);
            if (after.empty() || after.front() == ',') {
                const bool equal = comparison == Comparison::strong
                                       ? strong_match(parsed->tag, current)
                                       : weak_match(parsed->tag, current);
                if (equal) return true;
                rest = after;
                continue;
            }
        }
        // Not an entity-tag: resynchronise at the next comma.
        const std::size_t comma = rest.find(',');
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

bool is_any(std::string_view field_value) noexcept { return trim_ows(field_value) == "*"; }

}  // namespace cachet::http
