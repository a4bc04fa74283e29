#include "cache/partial_content.hpp"

#include "http/head_fields.hpp"
#include "http/tokens.hpp"

namespace cachet::cache {

std::optional<ContentRange> parse_content_range(std::string_view value) noexcept {
    value = http::trim_ows(value);
    const std::size_t space = value.find(' ');
    if (space == std::string_view::npos || !http::iequals(value.substr(0, space), "bytes")) {
        return std::nullopt;
    }
    const std::string_view resp = value.substr(space + 1);  // range-resp (§14.4)
    const std::size_t dash = resp.find('-');
    const std::size_t slash = resp.find('/');
    if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
        return std::nullopt;
    }
    const auto first = http::parse_digits(resp.substr(0, dash));
    const auto last = http::parse_digits(resp.substr(dash + 1, slash - dash - 1));
    const auto complete = http::parse_digits(resp.substr(slash + 1));  // "*" fails here
    if (!first || !last || !complete) return std::nullopt;
    if (*last < *first || *last >= *complete) return std::nullopt;
    return ContentRange{*first, *last, *complete};
}

std::optional<ContentRange> content_range_of_head(std::string_view head) noexcept {
    std::optional<ContentRange> found;
    std::size_t lines = 0;
    for (const http::HeaderView& field : http::HeadFields(head)) {
        if (!http::iequals(field.name, "content-range")) continue;
        ++lines;
        found = parse_content_range(field.value);
    }
    // Content-Range is a singleton: two lines say two different things.
    return lines == 1 ? found : std::nullopt;
}

bool body_matches(const ContentRange& range, std::uint64_t body_size) noexcept {
    return range.size() == body_size;
}

bool contains(const ContentRange& stored, const RangeSelection& wanted) noexcept {
    return wanted.outcome == RangeOutcome::single && wanted.first >= stored.first &&
           wanted.last <= stored.last;
}

std::optional<RangeSelection> range_within(http::Method method, http::HeaderSpan request,
                                           const ContentRange& stored) noexcept {
    // No validators: the partial entry is not asked to evaluate If-Range (§13.1.5).
    const RangeSelection wanted =
        range_for_request(method, request, StoredValidators{}, stored.complete_length, 0);
    if (!contains(stored, wanted)) return std::nullopt;
    return wanted;
}

}  // namespace cachet::cache
