#include "cache/head_response.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "cache/entry.hpp"
#include "cache/key.hpp"
#include "cache/store.hpp"
#include "cache/variants.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

constexpr std::string_view stored_head =
    "HTTP/1.1 200 OK\r\n"
    "ETag: \"v1\"\r\n"
    "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
    "Content-Length: 4\r\n";

std::vector<http::HeaderView> fields(std::initializer_list<http::HeaderView> list) { return list; }

HeadAgreement compare(std::initializer_list<http::HeaderView> head_response) {
    const auto response = fields(head_response);
    return compare_head_response(stored_head, 4, response);
}

EntryRef stored(std::string_view key, std::string_view head, std::string_view body = "body") {
    Entry::Spec spec;
    spec.key = key;
    spec.hash = hash_key(key);
    spec.head = head;
    spec.body_size = body.size();
    spec.freshness = Freshness{100, 0, 60, 10000};
    EntryRef entry = Entry::create(spec);
    body.copy(entry->body_data(), body.size());
    return entry;
}

constexpr std::string_view primary =
    "GET\x1f"
    "example.com\x1f/doc";

}  // namespace

// RFC 9111 §4.3.5: "if the stored response and HEAD response have matching values for any
// received validator fields (ETag and Last-Modified) and, if the HEAD response has a
// Content-Length header field, the value of Content-Length matches that of the stored
// response, the cache SHOULD update the stored response ...; otherwise, the cache SHOULD
// consider the stored response to be stale."
TEST_CASE(
    "a HEAD response with the stored validators and length agrees with it (RFC 9111 §4.3.5)") {
    CHECK(compare({{"ETag", "\"v1\""}, {"Content-Length", "4"}}) == HeadAgreement::agrees);
    CHECK(compare({{"Last-Modified", "Sunday, 06-Nov-94 08:49:37 GMT"}}) == HeadAgreement::agrees);
    CHECK(compare({{"etag", " \"v1\" "}, {"last-modified", "Sun, 06 Nov 1994 08:49:37 GMT"}}) ==
          HeadAgreement::agrees);
    // Nothing received to compare: nothing disagrees.
    CHECK(compare({{"Cache-Control", "max-age=60"}}) == HeadAgreement::agrees);
}

TEST_CASE("a HEAD response whose validator or length differs does not agree (RFC 9111 §4.3.5)") {
    CHECK(compare({{"ETag", "\"v2\""}}) == HeadAgreement::differs);
    CHECK(compare({{"ETag", "W/\"v1\""}}) == HeadAgreement::differs);
    CHECK(compare({{"Last-Modified", "Mon, 07 Nov 1994 08:49:37 GMT"}}) == HeadAgreement::differs);
    CHECK(compare({{"ETag", "\"v1\""}, {"Content-Length", "5"}}) == HeadAgreement::differs);
    CHECK(compare({{"Content-Length", "4x"}}) == HeadAgreement::differs);
}

TEST_CASE("a validator the stored response lacks cannot match (RFC 9111 §4.3.5)") {
    const auto etag = fields({{"ETag", "\"v1\""}});
    CHECK(compare_head_response("HTTP/1.1 200 OK\r\n", 4, etag) == HeadAgreement::differs);
    const auto modified = fields({{"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}});
    CHECK(compare_head_response("HTTP/1.1 200 OK\r\nETag: \"v1\"\r\n", 4, modified) ==
          HeadAgreement::differs);
}

TEST_CASE("the stored GET response a HEAD request would be answered from is found by its key") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 8});
    const auto request = fields({{"Host", "example.com"}});
    CHECK_FALSE(stored_get_response(store, primary, hash_key(primary), request, 110));
    REQUIRE(store.insert(stored(primary, stored_head), 100));
    EntryRef found = stored_get_response(store, primary, hash_key(primary), request, 110);
    REQUIRE(found);
    CHECK(found->key() == primary);
}

TEST_CASE(
    "of a URL's variants, the one the HEAD request selects is the one found (RFC 9111 §4.1, "
    "§4.3.5)") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 8});
    const std::string head = std::string(stored_head) + "Vary: Accept-Language\r\n";
    const auto english = fields({{"Accept-Language", "en"}});
    const auto french = fields({{"Accept-Language", "fr"}});
    VariantKeyBuffer en_key, fr_key;
    VaryNames vary;
    vary.add_line("Accept-Language");
    REQUIRE(build_variant_key(en_key, primary, vary, english) == VaryKey::built);
    REQUIRE(build_variant_key(fr_key, primary, vary, french) == VaryKey::built);
    REQUIRE(insert_response(store, stored(en_key.view(), head), 100));
    REQUIRE(insert_response(store, stored(fr_key.view(), head), 100));

    EntryRef found = stored_get_response(store, primary, hash_key(primary), french, 110);
    REQUIRE(found);
    CHECK(found->key() == fr_key.view());
}
