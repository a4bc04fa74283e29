#include "proxy/interim_response.hpp"

#include <charconv>

#include "http/hop_by_hop.hpp"

namespace cachet::proxy {

InterimUse interim_use(int status) noexcept {
    // RFC 9110 §15.2: "A proxy MUST forward 1xx responses unless the proxy itself requested
    // the generation of the 1xx response." A 100 answers an Expect, which cachet answers
    // itself (client_connection.cpp) and removes on the way to the origin.
    if (status == 100) return InterimUse::skip;
    // RFC 9110 §15.2.2: 101 answers an Upgrade, a hop-by-hop field cachet never forwards.
    if (status == 101) return InterimUse::refuse;
    return InterimUse::relay;
}

std::string interim_head(int status, std::string_view reason, http::HeaderSpan headers) {
    std::string out;  // a miss-path allocation: one per relayed interim response
    out.reserve(64 + headers.size() * 48);
    char digits[8];
    auto end = std::to_chars(digits, digits + sizeof digits, status).ptr;
    // The reason phrase is passed on as sent; it may be empty (RFC 9112 §4).
    out.append("HTTP/1.1 ").append(digits, end).append(" ").append(reason).append("\r\n");
    http::ConnectionTokens connection(headers);
    for (const auto& field : headers) {
        // RFC 9110 §8.6: no Content-Length in a 1xx; §7.6.1: hop-by-hop fields stay on
        // their hop.
        if (http::must_strip(field.name, connection)) continue;
        if (http::iequals(field.name, "content-length")) continue;
        out.append(field.name).append(": ").append(field.value).append("\r\n");
    }
    out.append("Via: 1.1 cachet\r\n\r\n");  // RFC 9110 §7.6.3
    return out;
}

}  // namespace cachet::proxy
