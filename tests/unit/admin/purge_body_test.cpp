#include "admin/purge_body.hpp"

#include <doctest/doctest.h>

using namespace cachet;
using namespace cachet::admin;

TEST_CASE("a purge body names a url, a prefix with an optional host, or a tag") {
    auto url = parse_purge_body(R"({"url": "http://Shop.example/p?id=1"})");
    REQUIRE(url);
    CHECK(url->by == cache::PurgeBy::url);
    CHECK(url->url == "shop.example\x1f/p?id=1");
    CHECK_FALSE(url->soft);

    auto prefix = parse_purge_body(R"({"prefix": "/api/", "host": "a.example", "soft": true})");
    REQUIRE(prefix);
    CHECK(prefix->by == cache::PurgeBy::prefix);
    CHECK(prefix->host == "a.example");
    CHECK(prefix->prefix == "/api/");
    CHECK(prefix->soft);

    auto any_host = parse_purge_body(R"({"prefix": "/"})");
    REQUIRE(any_host);
    CHECK(any_host->host.empty());

    auto tag = parse_purge_body(R"({"soft": false, "tag": "product-42"})");
    REQUIRE(tag);
    CHECK(tag->by == cache::PurgeBy::tag);
    CHECK(tag->tag == "product-42");
}

TEST_CASE("a bad purge body is refused with a reason naming the field") {
    auto reason = [](std::string_view body) {
        auto parsed = parse_purge_body(body);
        REQUIRE_FALSE(parsed);
        return parsed.error();
    };
    CHECK(reason("").starts_with("body:"));
    CHECK(reason("not json").starts_with("body:"));
    CHECK(reason(R"(["url"])").starts_with("body:"));
    CHECK(reason("{}") == "body: needs one of url, prefix or tag");
    CHECK(reason(R"({"url": "http://h/", "tag": "t"})").starts_with("body: url, prefix and tag"));
    CHECK(reason(R"({"urls": "http://h/"})").starts_with("body: unknown field \"urls\""));
    CHECK(reason(R"({"url": 42})") == "url: expected a string");
    CHECK(reason(R"({"url": "/relative"})").starts_with("url:"));
    CHECK(reason(R"({"prefix": "api/"})").starts_with("prefix:"));
    CHECK(reason(R"({"tag": ""})").starts_with("tag:"));
    CHECK(reason(R"({"tag": "t", "soft": "yes"})") == "soft: expected true or false");
    CHECK(reason(R"({"tag": "t", "host": "h"})").starts_with("host:"));
    CHECK(reason(R"({"url": "http://h/x", "url": "http://h/y"})").starts_with("body: url"));
    CHECK(reason("{\"prefix\": \"/\", \"host\": \"" + std::string(5000, 'h') + "\"}")
              .starts_with("host:"));
}

TEST_CASE("the purge answer is {\"purged\":N}") {
    CHECK(purge_response_json(0) == R"({"purged":0})");
    CHECK(purge_response_json(100000) == R"({"purged":100000})");
}
