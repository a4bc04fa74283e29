#pragma once
// Freshening through HEAD (RFC 9111 §4.3.5): a 200 to a HEAD request that went to the origin
// tells whether the stored GET response that HEAD would have been answered from still
// describes the resource. When it disagrees, the stored response is erased, so the next GET
// fetches it anew; when it agrees, its header fields update the stored response as a 304's
// would (§4.3.4; the proxy does that, proxy/store_updates.cpp).
#include <cstdint>
#include <string_view>

#include "cache/entry.hpp"
#include "http/header_view.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class Store;

enum class HeadAgreement : std::uint8_t {
    agrees,   // every validator and Content-Length the HEAD response carries matches
    differs,  // one of them differs from, or is missing in, the stored response
};

// Compares the HEAD response's ETag, Last-Modified and Content-Length, where it has them,
// with the stored response's head and body size. Pure.
HeadAgreement compare_head_response(std::string_view stored_head, std::uint64_t stored_body_size,
                                    http::HeaderSpan head_response) noexcept;

// The stored GET response `request` would be answered from under `primary_key`: its
// variant when the URL's responses vary (§4.3.5 asks about "each of its stored GET
// responses that could have been chosen for that request"). Null when there is none.
EntryRef stored_get_response(Store& store, std::string_view primary_key, std::uint64_t hash,
                             http::HeaderSpan request, Seconds now);

}  // namespace cachet::cache
