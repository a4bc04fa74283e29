#pragma once
// What the test origin answers to one request, decided from its query string alone, so a test
// scripts any origin behaviour per request without restarting the origin:
//
//   status=N                    status code (200..599, default 200)
//   size=N                      body of N bytes of body_pattern.hpp (default: a short text
//                               naming the target); body=TEXT a literal body instead
//   content_type=TYPE           the Content-Type (default text/plain or octet-stream)
//   cc=V expires=V etag=V last_modified=V date=V   the matching response headers
//   header=Name:Value           any header, repeatable; set_cookie=1 adds a Set-Cookie
//   header_from=Name:Field      header Name with the value of the request's Field, when the
//                               request has one (repeatable): lets one URL answer with
//                               headers a test changes per request, e.g. Vary:X-Test-Vary
//   interim=N                   an interim response with status N (100..199), sent at once,
//                               before delay_ms; repeatable, sent in order
//   interim_header=Name:Value   a header of every interim response, repeatable
//   delay_ms=N                  wait before the head
//   drip_ms=N                   send the head a byte at a time, N ms apart (a slow origin)
//   chunked=1 [chunk_size=N]    Transfer-Encoding: chunked, in several chunks
//   close=1                     close-delimited body: no Content-Length, close after it;
//                               over TLS a close_notify marks its end (RFC 9112 §9.8), and
//                               close_notify=0 leaves it out (an "incomplete close")
//   stall_after=B&stall_ms=N    send the head and B body bytes, wait N ms, send the rest
//   truncate=B                  declare the full length, close (FIN) after B body bytes;
//                               over TLS without close_notify, as a crashed origin would
//   reset=1                     abort the connection with an RST instead of answering
//   hang=1                      never answer, keep the connection open
//   bad=1|header|length|fold|extra   a malformed status line / header line / conflicting
//                               lengths / an obs-fold (a header value continued on the next
//                               line) / a second, unasked-for response after the first
//   ranges=1                    with size=N, a GET with one Range of one satisfiable
//                               range-spec (bytes=A-B, bytes=A-, bytes=-N) gets a 206 with
//                               Content-Range and those bytes of the pattern
//   echo=1                      body lists the request line and headers as received, plus
//                               the request body's length and FNV-1a 64 checksum
//   rpc=echo                    a JSON-RPC 2.0 server (test_origin/rpc_echo.hpp): each call
//                               answered with its method and params, a batch in reverse
//                               order, notifications not at all (204 when none is left)
//
// Conditional GET: with etag=/last_modified=, a matching If-None-Match / If-Modified-Since
// (byte-equal) gets a 304.
#include <cstdint>
#include <optional>
#include <string>

#include "origin_server/request.hpp"
#include "test_origin/stats.hpp"

namespace cachet::tools {

enum class Framing : std::uint8_t { content_length, chunked, close_delimited };
enum class Failure : std::uint8_t {
    none,
    reset,
    hang,
    bad_status_line,
    bad_header,
    bad_length,
    folded_header,
    extra_response
};

struct ResponsePlan {
    std::string interim;  // interim (1xx) heads, sent before delay_ms
    std::uint64_t delay_ms = 0;
    std::uint64_t drip_ms = 0;  // the head goes a byte at a time, this far apart
    Failure failure = Failure::none;
    std::string head;                  // status line and headers, ending in an empty line
    std::string text_body;             // used when !pattern_body
    bool pattern_body = false;         // body_pattern.hpp bytes [pattern_offset, +body_size)
    std::uint64_t pattern_offset = 0;  // bytes; the first of a range answered with 206
    std::uint64_t body_size = 0;       // bytes
    bool send_body = true;             // false for HEAD, 204, 304
    Framing framing = Framing::content_length;
    bool close_notify = true;      // over TLS, a close-delimited body ends with close_notify
    std::uint64_t chunk_size = 0;  // bytes per chunk when chunked
    std::optional<std::uint64_t> truncate_after;  // body bytes sent before the close
    std::uint64_t stall_after = 0;                // body bytes before the stall
    std::uint64_t stall_ms = 0;                   // 0: no stall
};

// Never fails: a malformed parameter yields a plan for a 400 that names it.
ResponsePlan plan_response(const Request& request, const Counted& counted);

// The raw bytes of a malformed response for the failures that send one.
std::string malformed_response(Failure failure);

}  // namespace cachet::tools
