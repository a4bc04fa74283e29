#pragma once
// The validators of a stored response (RFC 9110 §8.8), read once from its head so that
// conditional requests (conditional.hpp), If-Range (range.hpp) and 304 updates
// (update_headers.hpp) compare the same facts. Views into the head: valid while the head is.
#include <optional>
#include <string_view>

#include "http/entity_tag.hpp"
#include "util/time.hpp"

namespace cachet::cache {

struct StoredValidators {
    int status = 0;                        // the stored status code; 0 when unreadable
    std::optional<http::EntityTag> etag;   // the first ETag line, when it is an entity-tag
    std::optional<Seconds> last_modified;  // the first Last-Modified line, when a valid date
    std::optional<Seconds> date;           // the first Date line, when a valid date
    Seconds response_time = 0;             // when the cache received the response
};

// Reads the stored head (see cache::Entry::head()). `response_time` is kept for the
// RFC 9111 §4.3.2 fallback and reads RFC 850 two-digit years relative to it. An invalid
// ETag, Date or Last-Modified counts as absent: it cannot be compared with anything.
StoredValidators stored_validators(std::string_view head, Seconds response_time) noexcept;

// RFC 9110 §8.8.2.2: a cache may treat its entry's Last-Modified as a strong validator
// when the entry's Date is at least one second later (the representation cannot have
// changed twice within the second Last-Modified names, as far as the origin's clock knows).
constexpr bool last_modified_is_strong(const StoredValidators& stored) noexcept {
    return stored.last_modified && stored.date && *stored.date >= *stored.last_modified + 1;
}

}  // namespace cachet::cache
