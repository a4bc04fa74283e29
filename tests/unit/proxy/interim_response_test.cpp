#include "proxy/interim_response.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace cachet::proxy;
using cachet::http::HeaderView;

// RFC 9110 §15.2: "A proxy MUST forward 1xx responses unless the proxy itself requested the
// generation of the 1xx response."
TEST_CASE(
    "interim responses are relayed, but 100 Continue, which cachet answers itself "
    "(RFC 9110 §15.2)") {
    CHECK(interim_use(102) == InterimUse::relay);
    CHECK(interim_use(103) == InterimUse::relay);
    CHECK(interim_use(150) == InterimUse::relay);
    CHECK(interim_use(199) == InterimUse::relay);
    CHECK(interim_use(100) == InterimUse::skip);
}

// RFC 9110 §15.2.2: a 101 answers an Upgrade; cachet strips Upgrade (§7.6.1), so the origin
// was never asked to switch.
TEST_CASE("a 101 Switching Protocols nobody asked for is refused (RFC 9110 §15.2.2)") {
    CHECK(interim_use(101) == InterimUse::refuse);
}

TEST_CASE(
    "the relayed head keeps end-to-end fields and drops hop-by-hop ones (RFC 9110 §7.6.1, §8.6)") {
    const std::vector<HeaderView> fields{{"Link", "</style.css>; rel=preload"},
                                         {"Connection", "X-Hop, close"},
                                         {"X-Hop", "secret"},
                                         {"Keep-Alive", "timeout=5"},
                                         {"Content-Length", "0"},
                                         {"Link", "</app.js>; rel=preload"}};
    CHECK(interim_head(103, "Early Hints", fields) ==
          "HTTP/1.1 103 Early Hints\r\n"
          "Link: </style.css>; rel=preload\r\n"
          "Link: </app.js>; rel=preload\r\n"
          "Via: 1.1 cachet\r\n"
          "\r\n");
}

TEST_CASE("an empty reason phrase is passed on empty (RFC 9112 §4)") {
    CHECK(interim_head(102, "", {}) == "HTTP/1.1 102 \r\nVia: 1.1 cachet\r\n\r\n");
}
