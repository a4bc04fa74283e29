#pragma once
// What a conditional or Range request makes of a stored entry (RFC 9111 §4.3.2, §3.3;
// RFC 9110 §13, §14): worked out once, before the decision (cache/decision.hpp), which
// takes only its outcomes, and kept for writing the 304, 206 or 416 it may lead to.
// Only for requests that carry preconditions or a Range: a plain GET never makes one.
#include <optional>
#include <string>

#include "cache/conditional.hpp"
#include "cache/entry.hpp"
#include "cache/partial_content.hpp"
#include "cache/range.hpp"
#include "http/header_view.hpp"
#include "http/method.hpp"
#include "util/time.hpp"

namespace cachet::cache {

struct Derivation {
    std::string stored_head;  // the entry's head joined (a copy: the derived heads borrow it)
    // A complete entry: the preconditions as a cache evaluates them, then (when they let
    // the request proceed) its Range against the stored body.
    Precondition precondition = Precondition::proceed;
    RangeSelection range;
    // A partial entry: the bytes it holds, and the range asked for when it lies inside.
    std::optional<ContentRange> stored_range;
    std::optional<RangeSelection> inside_partial;
};

// `conditional` and `range`: whether the request carries If-* fields and a Range field.
Derivation derive(http::Method method, http::HeaderSpan request, bool conditional, bool range,
                  const Entry& entry, Seconds now);

}  // namespace cachet::cache
