#pragma once
// Range requests against a stored, complete representation (RFC 9110 §14) and the
// If-Range precondition that guards them (RFC 9110 §13.1.5). Pure, no allocation.
//
// What the caller does with each outcome:
//   none           send the whole stored response (200)
//   single         send 206 with Content-Range: format_content_range(...)
//   unsatisfiable  send 416 with Content-Range: format_unsatisfied_range(length)
//   multiple       forward to the origin: this cache does not write multipart/byteranges
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cache/validators.hpp"
#include "http/header_view.hpp"
#include "http/method.hpp"
#include "util/time.hpp"

namespace cachet::cache {

enum class RangeOutcome : std::uint8_t { none, single, unsatisfiable, multiple };
std::string_view name(RangeOutcome outcome) noexcept;  // "none", "single", ...

struct RangeSelection {
    RangeOutcome outcome = RangeOutcome::none;
    std::uint64_t first = 0;  // byte offsets, inclusive; meaningful for `single` only
    std::uint64_t last = 0;   // always < length for `single`
};

// Reads a Range field value for a representation of `length` bytes (RFC 9110 §14.1.2):
// - "bytes=0-99", "bytes=100-" (to the end), "bytes=-50" (the last 50 bytes); a last-pos
//   at or past the end is clamped to length - 1, a suffix longer than the representation
//   selects all of it, numbers too large for 64 bits saturate.
// - An int-range whose first-pos is at or past the end, and a suffix of length 0, are
//   unsatisfiable; a range-set with no satisfiable range is `unsatisfiable` (416).
// - A unit other than "bytes" (compared case-insensitively, §14.1), and anything that is
//   not a valid ranges-specifier (including last-pos < first-pos, which §14.1.2 calls
//   invalid), give `none`: §14.2 lets a server ignore such a Range.
// - Two or more ranges with at least one satisfiable give `multiple`, even when they
//   overlap or could be coalesced into one: merging would answer a different question than
//   the one asked (a client asking for two ranges expects multipart/byteranges), and the
//   origin is the one that decides how to answer it.
// - A satisfiable suffix range of an empty representation selects zero bytes, which no
//   Content-Range can express: `none` (the whole, empty, representation).
RangeSelection select_range(std::string_view range, std::uint64_t length) noexcept;

// RFC 9110 §13.1.5: whether the Range may be honoured given If-Range's value. An
// entity-tag must match the stored ETag by the strong comparison (a weak tag never
// does); an HTTP-date must equal the stored Last-Modified exactly, and only counts when
// that Last-Modified is a strong validator (§8.8.2.2, last_modified_is_strong). Anything
// else, malformed values included, is false: the Range is then ignored.
bool if_range_matches(std::string_view if_range, const StoredValidators& stored,
                      Seconds now) noexcept;

// The whole decision for a request against a stored response of `length` bytes: only GET
// has range handling (§14.2); no Range, or more than one Range line, is `none`; a Range
// with a failing If-Range is `none` (§13.1.5); If-Range without Range is ignored.
RangeSelection range_for_request(http::Method method, http::HeaderSpan request,
                                 const StoredValidators& stored, std::uint64_t length,
                                 Seconds now) noexcept;

// Content-Range values (RFC 9110 §14.4): "bytes 0-99/1000" for a 206, "bytes */1000" for
// a 416. Written into a buffer the caller owns; the view points into it.
struct ContentRangeText {
    std::array<char, 72> bytes{};  // "bytes " + 3 numbers of at most 20 digits + "-" + "/"
    std::size_t size = 0;
    std::string_view view() const noexcept { return {bytes.data(), size}; }
};
std::string_view format_content_range(ContentRangeText& out, std::uint64_t first,
                                      std::uint64_t last, std::uint64_t length) noexcept;
std::string_view format_unsatisfied_range(ContentRangeText& out, std::uint64_t length) noexcept;

}  // namespace cachet::cache
