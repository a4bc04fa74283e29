#pragma once
// What a test client got back for one request: a parsed response, or why there is none. Closes,
// resets and timeouts are values here, so a test can assert on them.
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/deadline.hpp"

namespace cachet::integration {

enum class Outcome {
    complete,                // a whole response arrived
    connect_failed,          // nobody accepted the connection
    closed_before_response,  // EOF before the first byte of a response
    truncated,               // EOF inside the head or before the framed body ended
    reset,                   // ECONNRESET (RST) at any point
    timeout,                 // the deadline passed first
    malformed,               // bytes that are not an HTTP/1.x response
};
std::string_view name(Outcome outcome) noexcept;
inline std::ostream& operator<<(std::ostream& os, Outcome o) { return os << name(o); }

// An interim (1xx) response that came before the final one.
struct InterimReply {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // in order, as received
    Clock::time_point at{};                                    // when its head was complete
};

struct Reply {
    Outcome outcome = Outcome::timeout;
    std::string error;  // detail for a malformed or failed reply
    int status = 0;
    std::string reason;
    int http_minor = 1;
    std::vector<std::pair<std::string, std::string>> headers;  // in order, as received
    std::string body;                                          // decoded (chunks joined)
    std::vector<InterimReply> interim;                         // 1xx before this response
    bool chunked = false;               // framed with Transfer-Encoding: chunked
    bool close_delimited = false;       // framed by the connection's close
    Clock::time_point sent_at{};        // when the request's last byte was written
    Clock::time_point first_body_at{};  // when the first body byte arrived (or done_at)
    Clock::time_point done_at{};

    bool ok() const noexcept { return outcome == Outcome::complete; }
    // The first header with this name (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
    std::size_t header_count(std::string_view name) const;
    // "Connection: close" or HTTP/1.0 without keep-alive: the server will close after it.
    bool closes_connection() const;
    // One line for failure messages: outcome, status, key headers, body size.
    std::string describe() const;
};

bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace cachet::integration
