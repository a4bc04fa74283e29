#pragma once
// QUERY (draft-ietf-httpbis-safe-method-w-body) past a parser that does not know it. llhttp 8,
// as Debian ships it, parses a fixed list of methods and refuses any other at its first
// byte; QUERY is framed like PATCH (Content-Length or chunked), so when llhttp refuses a
// request line that starts "QUERY ", the connection shows it the same head again as "PATCH "
// and names the method QUERY once the head is parsed (a request with a known method never
// takes this path, so it costs the hit path nothing). Everything after the parser (the key, the
// request to the origin, the log, a recording) sees QUERY; only llhttp sees the mask.
#include <cstddef>
#include <cstring>

namespace cachet::http {

// Rewrites a leading "QUERY " of the request head in `head` (empty lines before a request
// line are skipped, RFC 9112 §2.2) to "PATCH " and says whether it did. Only the bytes of
// the method change.
inline bool mask_query_method(char* head, std::size_t size) noexcept {
    std::size_t at = 0;
    while (at < size && (head[at] == '\r' || head[at] == '\n')) ++at;
    if (size - at < 6 || std::memcmp(head + at, "QUERY ", 6) != 0) return false;
    std::memcpy(head + at, "PATCH", 5);
    return true;
}

}  // namespace cachet::http
