#pragma once
// A request read to its end before it is dispatched, because its key includes its body
// (record and replay key every request on its body; cache/body_key.hpp). The read buffer
// moves on while the body arrives, so the head's views are moved into bytes held here.
// Made on a connection's first such request and reused after.
#include <cstddef>
#include <string>

#include "http/request_head.hpp"

namespace cachet::server {

class HeldRequest {
public:
    // Bodies larger than this are refused (413): a body is held whole to be keyed.
    static constexpr std::size_t kMaxBody = 1u << 20;

    // Copies the head's bytes [from, to) and points every view of `head` that lies in them
    // into the copy.
    void hold_head(http::RequestHead& head, const char* from, const char* to);
    // False when the body would exceed kMaxBody.
    bool append_body(const char* at, std::size_t size);
    std::string_view body() const noexcept { return body_; }
    void clear() noexcept {
        head_bytes_.clear();
        body_.clear();
    }

private:
    std::string head_bytes_;
    std::string body_;
};

// The end of the last byte any view of the head points to: with the head's first byte, the
// range hold_head copies.
const char* head_views_end(const http::RequestHead& head) noexcept;

}  // namespace cachet::server
