#pragma once
// An incremental HTTP/1.x response parser for the test client: it takes bytes as they come and
// frames the body as RFC 9112 §6.3 says (no body for HEAD, 1xx, 204, 304; chunked; Content-Length;
// otherwise until the connection closes). Strict on purpose: what cachet sends must be well-formed,
// so a line without CRLF or a header without a colon is `malformed`.
#include <cstdint>
#include <string_view>

#include "harness/reply.hpp"

namespace cachet::integration {

class ResponseParser {
public:
    explicit ResponseParser(bool head_request) : head_request_(head_request) {}

    // Consumes the bytes of `data` that belong to this response and returns how many; stops at the
    // end of the response, so what is left belongs to the next one.
    std::size_t feed(std::string_view data);
    // The peer closed (eof) or reset the connection.
    void feed_close(bool reset);

    bool done() const noexcept { return state_ == State::done; }
    bool started() const noexcept { return started_; }
    std::size_t body_bytes() const noexcept { return reply_.body.size(); }
    Reply& reply() noexcept { return reply_; }

private:
    enum class State {
        head,
        body_length,
        chunk_size,
        chunk_data,
        chunk_crlf,
        trailers,
        body_eof,
        done
    };
    bool parse_head();  // head_ holds the whole head; false on malformed
    void fail(std::string error);
    void finish() {
        state_ = State::done;
        if (reply_.outcome == Outcome::timeout) reply_.outcome = Outcome::complete;
    }

    bool head_request_;
    State state_ = State::head;
    bool started_ = false;
    std::string head_;             // bytes of the head (or a chunk-size / trailer line) so far
    std::uint64_t remaining_ = 0;  // body or chunk bytes still to come
    Reply reply_;
};

}  // namespace cachet::integration
