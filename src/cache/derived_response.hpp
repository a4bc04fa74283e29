#pragma once
// Responses a cache derives from a stored one without asking the origin: 304 Not Modified
// for a client's satisfied precondition, 206 Partial Content for a single byte range, and
// 416 Range Not Satisfiable. Each returns a head (status line and fields, each CRLF-ended,
// no final empty line) in the stored head's format, so the caller appends the same
// per-request tail (Age, Cache-Status, Connection) as for a hit. These are not the hit
// path's plain 200s, so they allocate (one string per response).
#include <cstdint>
#include <string>
#include <string_view>

namespace cachet::cache {

// RFC 9110 §15.4.5: a 304 carries the fields a 200 would have sent among Cache-Control,
// Content-Location, Date, ETag, Expires, Vary and Last-Modified (the validator the client
// may compare), and no representation metadata such as Content-Length or Content-Type.
std::string not_modified_head(std::string_view stored_head);

// RFC 9110 §15.3.7: the stored fields with Content-Length set to the range's length and
// a Content-Range of "bytes first-last/length".
std::string partial_content_head(std::string_view stored_head, std::uint64_t first,
                                 std::uint64_t last, std::uint64_t length);

// RFC 9110 §15.5.17: "Content-Range: bytes */length" and an empty body.
std::string range_not_satisfiable_head(std::string_view stored_head, std::uint64_t length);

}  // namespace cachet::cache
