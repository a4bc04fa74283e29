#include "server/held_request.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet;
using namespace cachet::server;

TEST_CASE("held request: the head's views move into its own bytes") {
    std::string buffer = "POST /q HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
    http::RequestHead head;
    head.method_name = "POST";  // llhttp's static text: outside the buffer, left as it is
    head.target = std::string_view(buffer).substr(5, 2);
    head.headers[0] = {std::string_view(buffer).substr(18, 4),
                       std::string_view(buffer).substr(24, 1)};
    head.headers[1] = {std::string_view(buffer).substr(27, 14),
                       std::string_view(buffer).substr(43, 1)};
    head.header_count = 2;
    head.host = head.headers[0].value;
    const char* end = head_views_end(head);
    CHECK(end == buffer.data() + 44);
    HeldRequest held;
    held.hold_head(head, buffer.data(), end);
    buffer.assign(buffer.size(), '#');  // the read buffer moves on
    CHECK(head.target == "/q");
    CHECK(head.host == "h");
    CHECK(head.headers[0].name == "Host");
    CHECK(head.headers[1].name == "Content-Length");
    CHECK(head.headers[1].value == "3");
    CHECK(head.method_name == "POST");
}

TEST_CASE("held request: a body is held up to its limit") {
    HeldRequest held;
    CHECK(held.append_body("abc", 3));
    CHECK(held.body() == "abc");
    const std::string rest(HeldRequest::kMaxBody - 3, 'x');
    CHECK(held.append_body(rest.data(), rest.size()));
    CHECK_FALSE(held.append_body("y", 1));
    CHECK(held.body().size() == HeldRequest::kMaxBody);
    held.clear();
    CHECK(held.body().empty());
}
