#pragma once
// A parsed request head: views into the connection's read buffer, valid until the buffer
// is compacted (after the request has been dispatched). Plain data, no allocation.
#include <array>
#include <cstdint>
#include <string_view>

#include "http/header_view.hpp"
#include "http/method.hpp"

namespace cachet::http {

struct RequestHead {
    static constexpr std::size_t kMaxHeaders = 96;

    Method method = Method::other;
    std::string_view method_name;  // as sent, for the request line towards the origin
    std::string_view target;       // as sent: origin-form or absolute-form
    std::string_view host;         // Host header value ("" when absent)
    std::uint8_t version_major = 1;
    std::uint8_t version_minor = 1;
    bool keep_alive = true;
    bool has_body = false;  // Content-Length > 0 or chunked
    bool chunked = false;
    std::uint64_t content_length = 0;
    bool expect_continue = false;
    bool conditional = false;  // If-*: forwarded as is, response not stored
    bool range = false;        // Range: answered from the store, or forwarded alone
                               // (never coalesced); a 206 may become a partial entry
    std::array<HeaderView, kMaxHeaders> headers{};
    std::uint16_t header_count = 0;

    HeaderSpan header_span() const noexcept { return {headers.data(), header_count}; }

    // Forgets the previous request. The header array is not cleared: header_count bounds
    // what is read, and zeroing 3 KiB per request would cost the hit path.
    void reset() noexcept {
        method = Method::other;
        method_name = target = host = {};
        version_major = version_minor = 1;
        keep_alive = true;
        has_body = chunked = expect_continue = conditional = range = false;
        content_length = 0;
        header_count = 0;
    }
};

}  // namespace cachet::http
