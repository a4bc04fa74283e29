#pragma once
// Interim (1xx) responses from the origin (RFC 9110 §15.2): which ones reach the client that
// caused the fetch, and the head it gets. Pure functions; OriginConnection hands the head to
// its FetchClient, which sends it only to an HTTP/1.1 client and never stores or shares it.
#include <cstdint>
#include <string>
#include <string_view>

#include "http/header_view.hpp"

namespace cachet::proxy {

enum class InterimUse : std::uint8_t {
    relay,   // 102 Processing, 103 Early Hints, and any other 1xx: forwarded
    skip,    // 100 Continue: cachet answers a client's Expect itself and never forwards it
    refuse,  // 101 Switching Protocols: cachet forwards no Upgrade, so this is an error
};
InterimUse interim_use(int status) noexcept;

// The head relayed to the client: status line, the end-to-end fields (hop-by-hop ones, the
// fields Connection names, and Content-Length are removed), Via, and the empty line.
std::string interim_head(int status, std::string_view reason, http::HeaderSpan headers);

}  // namespace cachet::proxy
