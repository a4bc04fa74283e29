#include "cache/range.hpp"
#include "http/tokens.hpp"

#include <charconv>
#include <limits>

#include "http/entity_tag.hpp"
#include "http/http_date.hpp"

namespace cachet::cache {
namespace {

using http::is_ows;
using http::is_tchar;
using http::trim_ows;

using http::iequals;

constexpr std::uint64_t saturated = std::numeric_limits<std::uint64_t>::max();

// One range-spec resolved against the length: `satisfiable` ranges carry [first, last].
struct Spec {
    bool satisfiable = false;
    bool empty = false;  // a satisfiable suffix of an empty representation
    std::uint64_t first = 0;
    std::uint64_t last = 0;
};

// int-range = first-pos "-" [ last-pos ]; suffix-range = "-" suffix-length (§14.1.2).
// nullopt for anything else, an int-range with last-pos < first-pos included.
std::optional<Spec> resolve_spec(std::string_view text, std::uint64_t length) noexcept {
    const std::size_t dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    Spec spec;
    if (dash == 0) {
        const auto suffix = http::parse_digits(text.substr(1));
        if (!suffix) return std::nullopt;
        // §14.1.1: a suffix-range is satisfiable when its length is not zero.
        spec.satisfiable = *suffix > 0;
        spec.empty = spec.satisfiable && length == 0;
        if (spec.satisfiable && !spec.empty) {
            spec.first = *suffix >= length ? 0 : length - *suffix;
            spec.last = length - 1;
        }
        return spec;
    }
    const auto first = http::parse_digits(text.substr(0, dash));
    if (!first) return std::nullopt;
    const std::string_view last_text = text.substr(dash + 1);
    std::uint64_t last = saturated;
    if (!last_text.empty()) {
        const auto parsed = http::parse_digits(last_text);
        if (!parsed || *parsed < *first) return std::nullopt;
        last = *parsed;
    }
    // §14.1.1: an int-range is satisfiable when first-pos is before the end.
    spec.satisfiable = *first < length;
    if (spec.satisfiable) {
        spec.first = *first;
        spec.last = last >= length ? length - 1 : last;  // §14.1.2: the remainder
    }
    return spec;
}

}  // namespace

std::string_view name(RangeOutcome outcome) noexcept {
    switch (outcome) {
    case RangeOutcome::none: return "none";
    case RangeOutcome::single: return "single";
    case RangeOutcome::unsatisfiable: return "unsatisfiable";
    case RangeOutcome::multiple: return "multiple";
    }
    return "unknown";
}

RangeSelection select_range(std::string_view range, std::uint64_t length) noexcept {
    range = trim_ows(range);
    const std::size_t equals = range.find('=');
    if (equals == std::string_view::npos || !iequals(range.substr(0, equals), "bytes")) {
        return {};
    }
    // range-set = 1#range-spec: OWS around commas, empty members ignored (RFC 9110 §5.6.1).
    std::string_view set = range.substr(equals + 1);
    std::size_t specs = 0;
    std::size_t satisfiable = 0;
    Spec only;
    while (true) {
        const std::size_t comma = set.find(',');
        const std::string_view member = trim_ows(set.substr(0, comma));
        if (!member.empty()) {
            const auto spec = resolve_spec(member, length);
            if (!spec) return {};
            ++specs;
            satisfiable += spec->satisfiable ? 1 : 0;
            only = *spec;
        }
        if (comma == std::string_view::npos) break;
        set.remove_prefix(comma + 1);
    }
    if (specs == 0) return {};
    if (satisfiable == 0) return {RangeOutcome::unsatisfiable, 0, 0};
    if (specs > 1) return {RangeOutcome::multiple, 0, 0};
    if (only.empty) return {};
    return {RangeOutcome::single, only.first, only.last};
}

bool if_range_matches(std::string_view if_range, const StoredValidators& stored,
                      Seconds now) noexcept {
    if_range = trim_ows(if_range);
    if (if_range.starts_with('"') || if_range.starts_with("W/")) {
        const auto tag = http::parse_entity_tag(if_range);
        return tag && stored.etag && http::strong_match(*tag, *stored.etag);
    }
    const auto date = http::parse_http_date(if_range, now);
    return date && last_modified_is_strong(stored) && *date == *stored.last_modified;
}

RangeSelection range_for_request(http::Method method, http::HeaderSpan request,
                                 const StoredValidators& stored, std::uint64_t length,
                                 Seconds now) noexcept {
    if (method != http::Method::get) return {};
    std::string_view range;
    std::string_view if_range;
    std::size_t range_lines = 0;
    std::size_t if_range_lines = 0;
    for (const http::HeaderView& h : request) {
        if (iequals(h.name, "Range")) {
            range = h.value;
            ++range_lines;
        } else if (iequals(h.name, "If-Range")) {
            if_range = h.value;
            ++if_range_lines;
        }
    }
    // Neither field is a list: a second line makes the value invalid.
    if (range_lines != 1) return {};
    if (if_range_lines > 1) return {};
    if (if_range_lines == 1 && !if_range_matches(if_range, stored, now)) return {};
    return select_range(range, length);
}

std::string_view format_content_range(ContentRangeText& out, std::uint64_t first,
                                      std::uint64_t last, std::uint64_t length) noexcept {
    char* p = out.bytes.data();
    char* const end = p + out.bytes.size();
    constexpr std::string_view unit = "bytes ";
    p += unit.copy(p, unit.size());
    p = std::to_chars(p, end, first).ptr;
    *p++ = '-';
    p = std::to_chars(p, end, last).ptr;
    *p++ = '/';
    p = std::to_chars(p, end, length).ptr;
    out.size = static_cast<std::size_t>(p - out.bytes.data());
    return out.view();
}

std::string_view format_unsatisfied_range(ContentRangeText& out, std::uint64_t length) noexcept {
    char* p = out.bytes.data();
    char* const end = p + out.bytes.size();
    constexpr std::string_view prefix = "bytes */";
    p += prefix.copy(p, prefix.size());
    p = std::to_chars(p, end, length).ptr;
    out.size = static_cast<std::size_t>(p - out.bytes.data());
    return out.view();
}

}  // namespace cachet::cache
