#pragma once
// Partial content a cache keeps (RFC 9111 §3.3): a 206 with one Content-Range is stored
// under its URL's primary key as a partial entry, holding the bytes that Content-Range
// names, and answers a later single Range only when every byte asked for lies inside
// them (RFC 9110 §14.2). A partial entry is never served as a complete response, and
// partial responses are not combined (§3.4). Pure, no allocation.
#include <cstdint>
#include <optional>
#include <string_view>

#include "cache/range.hpp"
#include "http/header_view.hpp"

namespace cachet::cache {

// A byte range of a representation whose complete length is known (RFC 9110 §14.4).
struct ContentRange {
    std::uint64_t first = 0;            // byte offsets, inclusive
    std::uint64_t last = 0;             // first <= last < complete_length
    std::uint64_t complete_length = 0;  // bytes
    std::uint64_t size() const noexcept { return last - first + 1; }
};

// Reads "bytes first-last/complete-length" (RFC 9110 §14.4): the unit case-insensitively,
// no whitespace inside. nullopt for an unsatisfied-range ("bytes */1000"), an unknown
// complete length ("bytes 0-9/*"), another unit, last < first, last at or past the
// complete length (§14.4 calls these invalid) and anything malformed.
std::optional<ContentRange> parse_content_range(std::string_view value) noexcept;

// The Content-Range of a stored head (status line, then fields): nullopt unless exactly
// one line holds a valid value.
std::optional<ContentRange> content_range_of_head(std::string_view head) noexcept;

// RFC 9110 §15.3.7: the body of a single-part 206 is the range Content-Range names, so a
// body of any other length is not that range (truncated, or the sender is confused).
bool body_matches(const ContentRange& range, std::uint64_t body_size) noexcept;

// Whether a selected range (select_range's `single` outcome, resolved against
// stored.complete_length) lies entirely inside the stored bytes.
bool contains(const ContentRange& stored, const RangeSelection& wanted) noexcept;

// The whole decision for a request against a partial entry: a GET with exactly one Range
// line holding one satisfiable range-spec, resolved against the stored complete length
// (suffix and open-ended ranges included, §14.1.2), that lies inside the stored bytes.
// nullopt otherwise: the request then goes to the origin. An If-Range never matches here,
// so a request carrying one goes to the origin too.
std::optional<RangeSelection> range_within(http::Method method, http::HeaderSpan request,
                                           const ContentRange& stored) noexcept;

}  // namespace cachet::cache
