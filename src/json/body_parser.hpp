#pragma once
// A reusable simdjson DOM parser with cachet's limits, and the scratch space the canonical
// writer sorts members in. Keep one per worker (not per request, not per connection): its
// buffers grow to the largest body it has seen (about 15 bytes per body byte) and are reused,
// so parsing a body no larger than a previous one allocates nothing. Not thread-safe: one
// thread uses it at a time.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "json/json_error.hpp"
#include "json/pointer_cursor.hpp"
#include "util/result.hpp"

namespace cachet::json {

struct ParseLimits {
    std::size_t max_bytes = 1 << 20;  // bytes of one body; longer: too_large
    // Levels of nested arrays and objects ([[1]] has 2); deeper: too_deep. parse() lets an
    // empty array or object one level further through (simdjson's way of counting); the
    // canonical writer refuses it too, so a key never depends on that.
    std::size_t max_depth = 64;
};

// An object member waiting to be written in key order (canonical.cpp).
struct PendingMember {
    std::string_view key;  // unescaped, in the parser's string buffer
    simdjson::dom::element value;
    std::uint32_t position = 0;  // in the document: duplicate keys keep their order
    PointerCursor cursor;        // where the ignored pointers stand at the value
};

class BodyParser {
public:
    explicit BodyParser(ParseLimits limits = {});

    // Parses `body` as exactly one JSON text. The element, and every string_view read from
    // it, stay valid until the next parse() with this parser. simdjson copies the body
    // into the parser's padded buffer: `body` need not outlive the call.
    tl::expected<simdjson::dom::element, JsonError> parse(std::string_view body);

    const ParseLimits& limits() const noexcept { return limits_; }

    // Members of the objects being written, innermost last (a stack shared by all depths).
    std::vector<PendingMember>& pending_members() noexcept { return pending_; }

private:
    ParseLimits limits_;
    simdjson::dom::parser parser_;
    std::vector<PendingMember> pending_;
};

// The JsonError for a simdjson error code (SUCCESS has none: do not ask).
JsonError from_simdjson(simdjson::error_code error) noexcept;

}  // namespace cachet::json
