#pragma once
// Freshening (or not) through HEAD (RFC 9111 §4.3.5): a 200 to a HEAD request that went to
// the origin tells whether the stored GET response that HEAD would have been answered from
// still describes the resource. This version acts on a disagreement only: the stored
// response is erased, so the next GET fetches it anew. An agreeing HEAD leaves it as it is
// (its header fields are not updated from the HEAD response).
#include <cstdint>
#include <string_view>

#include "http/header_view.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class Store;

enum class HeadAgreement : std::uint8_t {
    agrees,    // every validator and Content-Length the HEAD response carries matches
    differs,   // one of them differs from, or is missing in, the stored response
};

// Compares the HEAD response's ETag, Last-Modified and Content-Length, where it has them,
// with the stored response's head and body size. Pure.
HeadAgreement compare_head_response(std::string_view stored_head, std::uint64_t stored_body_size,
                                    http::HeaderSpan head_response) noexcept;

// Looks up the stored GET response `request` selects under `primary_key` (its variant when
// the URL's responses vary) and erases it when the HEAD response differs from it. True when
// one was erased.
bool invalidate_if_changed(Store& store, std::string_view primary_key, std::uint64_t hash,
                           http::HeaderSpan request, http::HeaderSpan head_response, Seconds now);

}  // namespace cachet::cache
