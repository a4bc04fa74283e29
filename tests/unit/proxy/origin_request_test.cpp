#include "proxy/origin_request.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet;

namespace {

http::RequestHead post_head(bool chunked) {
    http::RequestHead head;
    head.method = http::Method::post;
    head.method_name = "POST";
    head.target = "/rpc";
    head.host = "api.example";
    head.version_major = 1;
    head.version_minor = 1;
    head.has_body = true;
    head.chunked = chunked;
    head.content_length = chunked ? 0 : 120;
    head.headers[0] = {"Content-Type", "application/json"};
    head.headers[1] = {chunked ? "Transfer-Encoding" : "Content-Length",
                       chunked ? "chunked" : "120"};
    head.header_count = 2;
    return head;
}

}  // namespace

TEST_CASE("set_body_length replaces the framing of the body the request carries") {
    OriginAddress origin;
    origin.authority = "api.example";
    for (bool chunked : {false, true}) {
        auto request = proxy::build_origin_request(post_head(chunked), "10.0.0.1", origin, 0);
        CHECK(request.chunked_body == chunked);
        proxy::set_body_length(request, 42);
        CHECK_FALSE(request.chunked_body);
        CHECK(request.head.ends_with("X-Forwarded-For: 10.0.0.1\r\nContent-Length: 42\r\n\r\n"));
        CHECK(request.head.find("Content-Type: application/json\r\n") != std::string::npos);
        CHECK(request.head.find("120") == std::string::npos);
        CHECK(request.head.find("chunked") == std::string::npos);
    }
}

TEST_CASE("set_body_length leaves a request without a body as it is") {
    OriginAddress origin;
    origin.authority = "api.example";
    http::RequestHead head = post_head(false);
    head.has_body = false;
    head.content_length = 0;
    head.header_count = 1;
    auto request = proxy::build_origin_request(head, "10.0.0.1", origin, 0);
    const std::string before = request.head;
    proxy::set_body_length(request, 42);
    CHECK(request.head == before);
}
