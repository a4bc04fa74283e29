#pragma once
// Entity tags (RFC 9110 §8.8.3): parsing one, comparing two, and walking the lists that
// If-Match and If-None-Match carry. Views only, no allocation.
//
//   entity-tag = [ weak ] opaque-tag        weak = %s"W/"   (case-sensitive)
//   opaque-tag = DQUOTE *etagc DQUOTE       etagc = %x21 / %x23-7E / obs-text
//
// A comma is a valid etagc, so a list is split by reading tags, not by searching commas.
#include <optional>
#include <string_view>

namespace cachet::http {

struct EntityTag {
    std::string_view opaque;  // the opaque-tag with its quotes, e.g. "\"v1\""
    bool weak = false;
};

// One entity-tag filling all of `text` (surrounding whitespace allowed); nullopt otherwise.
std::optional<EntityTag> parse_entity_tag(std::string_view text) noexcept;

// RFC 9110 §8.8.3.2: strong comparison needs both tags strong and the opaque-tags equal
// octet by octet; weak comparison only needs the opaque-tags equal.
constexpr bool strong_match(const EntityTag& a, const EntityTag& b) noexcept {
    return !a.weak && !b.weak && a.opaque == b.opaque;
}
constexpr bool weak_match(const EntityTag& a, const EntityTag& b) noexcept {
    return a.opaque == b.opaque;
}

enum class Comparison : bool { weak, strong };

// True when `field_value` (one field line of `#entity-tag`) holds a member equal to
// `current` under `comparison`. Members that are not entity-tags (unquoted text, a stray
// "*", truncated quotes) never match; the members after them are still read, from the
// next comma on. Empty members are skipped (RFC 9110 §5.6.1).
bool list_contains(std::string_view field_value, const EntityTag& current,
                   Comparison comparison) noexcept;

// True when the whole field value is "*" (RFC 9110 §13.1.1, §13.1.2), whitespace aside.
bool is_any(std::string_view field_value) noexcept;

}  // namespace cachet::http
