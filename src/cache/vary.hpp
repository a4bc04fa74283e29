#pragma once
// Matching a request to a stored variant (RFC 9111 §4.1): the secondary key.
//
// A stored response that carries Vary names the request fields its selection depended on.
// The secondary key writes down, in a canonical form, what a request sent in those fields;
// a request may be answered by a stored variant iff their secondary keys are equal. The
// key is built into a buffer the caller owns (like cache::KeyBuffer): no allocation.
//
// Normalisations applied, each one of those RFC 9111 §4.1 allows:
// 1. Vary's own members: names compared case-insensitively (RFC 9110 §5.1), so they are
//    lowercased, sorted and deduplicated across every Vary line; empty members are
//    ignored (RFC 9110 §5.6.1). "Accept-Encoding, accept-encoding" varies on one field.
// 2. "Combining multiple header field lines with the same field name": a request's lines
//    for one field are joined in order with ", " (RFC 9110 §5.3), each line's leading and
//    trailing whitespace removed (it is not part of the value, RFC 9110 §5.5). So
//    "X: a" + "X: b" and "X: a, b" give the same key.
// 3. For the four content-negotiation lists Accept, Accept-Charset, Accept-Encoding and
//    Accept-Language only (RFC 9110 §12.5), "normalizing ... in a way that is known to have
//    identical semantics, according to the header field's specification":
//    - whitespace around list members and around ";" is removed (OWS, RFC 9110 §5.6.6),
//      empty list members and empty parameters are dropped;
//    - case is normalised where the field defines it as case-insensitive: the media range,
//      coding, charset or language range, and every parameter name (RFC 9110 §8.3.1,
//      §8.3.2, §8.4.1, §5.6.6; language ranges per RFC 4647 §2); parameter values too,
//      except in Accept, whose media-type parameter values may be case-sensitive (RFC 9110
//      §5.6.6), and except quoted-strings anywhere;
//    - the weight, a final "q" parameter (RFC 9110 §12.4.2), is written canonically:
//      "q=0.500" is "q=0.5", and "q=1", the default, is dropped; a "q" that is not last, or
//      not a valid qvalue, is kept as sent;
//    - members are sorted. These fields rank members by weight, not by position: members
//      of equal weight are equally acceptable to the client, so a variant chosen for one
//      order is an acceptable answer for another. RFC 9110 §12.5.4 notes that some servers
//      break ties in Accept-Language by order; such an origin may have chosen differently
//      for the other order, but what it chose is still a language the client accepts
//      equally.
//    Members are not deduplicated: "gzip, gzip" stays apart from "gzip".
// 4. A field absent from the request is recorded as absent, apart from one present with an
//    empty value (RFC 9111 §4.1: absent only matches absent).
// Nothing else is normalised. In fields this file does not know (Cookie, User-Agent, ...)
// a comma or a space may carry meaning, so their values are compared as sent: the worst
// such a difference costs is a miss, while a false match would serve another user's variant.
//
// Key layout, per Vary name in sorted order: the lowercase name, then for a present field
// 0x1F and the normalised value, then 0x1E. Names are tokens and values are checked to
// hold no control bytes, so distinct inputs never write the same key.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "http/header_view.hpp"

namespace cachet::cache {

// The field names a stored response's Vary lines list, sorted case-insensitively and
// deduplicated. Views into the lines: valid while they are.
class VaryNames {
public:
    static constexpr std::size_t capacity = 32;

    static VaryNames of_head(std::string_view head) noexcept;        // a stored head's Vary lines
    static VaryNames of_headers(http::HeaderSpan headers) noexcept;  // a parsed response's

    void add_line(std::string_view vary_value) noexcept;  // one Vary field line's value

    bool any() const noexcept { return any_; }              // "*": never matches
    bool malformed() const noexcept { return malformed_; }  // a member is not a field name
    bool overflow() const noexcept { return overflow_; }    // more than `capacity` names
    std::span<const std::string_view> names() const noexcept { return {names_.data(), count_}; }

private:
    std::array<std::string_view, capacity> names_{};
    std::size_t count_ = 0;
    bool any_ = false;
    bool malformed_ = false;
    bool overflow_ = false;
};

struct SecondaryKeyBuffer {
    std::array<char, 4096> bytes;
    std::size_t size = 0;
    std::string_view view() const noexcept { return {bytes.data(), size}; }
};

enum class VaryKey : std::uint8_t {
    built,          // the buffer holds the key
    never_matches,  // Vary: * (RFC 9111 §4.1): no request matches this variant
    malformed,      // Vary lists a non-token, or a varied request field holds a control byte
    too_long,       // the key does not fit the buffer (or Vary names too many fields)
};
std::string_view name(VaryKey outcome) noexcept;  // "built", "never-matches", ...

// Writes the secondary key of `request` for a variant that varies on `vary`. On anything
// but `built`, `out` is left empty and the response cannot be matched by key: a caller
// neither stores it as a variant nor serves it without going to the origin.
VaryKey build_secondary_key(SecondaryKeyBuffer& out, const VaryNames& vary,
                            http::HeaderSpan request) noexcept;

// True when `request` may be served the variant stored with `stored_key` (the key built
// from the request that caused it to be stored).
bool vary_matches(const VaryNames& vary, std::string_view stored_key,
                  http::HeaderSpan request) noexcept;

}  // namespace cachet::cache
