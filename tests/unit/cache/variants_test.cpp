#include "cache/variants.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "cache/entry.hpp"
#include "cache/key.hpp"
#include "cache/store.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

constexpr std::string_view primary =
    "GET\x1f"
    "example.com\x1f/img";

std::vector<http::HeaderView> fields(std::initializer_list<http::HeaderView> list) { return list; }

VaryNames vary_of(std::string_view line) {
    VaryNames vary;
    vary.add_line(line);
    return vary;
}

std::string secondary_of(const VaryNames& vary, http::HeaderSpan request) {
    SecondaryKeyBuffer key;
    REQUIRE(build_secondary_key(key, vary, request) == VaryKey::built);
    return std::string(key.view());
}

// A stored response for `key`, its head carrying `vary_line` when not empty.
EntryRef response(std::string_view key, std::string_view vary_line, Seconds keep_until,
                  std::string_view body = "body") {
    const std::string head = vary_line.empty()
                                 ? std::string("HTTP/1.1 200 OK\r\n")
                                 : "HTTP/1.1 200 OK\r\nVary: " + std::string(vary_line) + "\r\n";
    Entry::Spec spec;
    spec.key = key;
    spec.hash = hash_key(key);
    spec.head = head;
    spec.body_size = body.size();
    spec.freshness = Freshness{100, 0, 60, keep_until};
    EntryRef entry = Entry::create(spec);
    body.copy(entry->body_data(), body.size());
    return entry;
}

// Stores the variant `request` selects for a response varying on `vary_line`.
void store_variant(Store& store, std::string_view vary_line, http::HeaderSpan request,
                   Seconds keep_until, std::string_view body) {
    const std::string key = join_variant_key(primary, secondary_of(vary_of(vary_line), request));
    REQUIRE_FALSE(key.empty());
    REQUIRE(insert_response(store, response(key, vary_line, keep_until, body), 100));
}

EntryRef marker_of(Store& store, Seconds now = 100) {
    return store.lookup(primary, hash_key(primary), now);
}

// The variant a request selects through the URL's marker, or null.
EntryRef select(Store& store, http::HeaderSpan request, Seconds now = 100) {
    EntryRef marker = marker_of(store, now);
    if (!marker || !marker->is_vary_marker()) return {};
    VariantKeyBuffer key;
    return lookup_variant(store, *marker, key, primary, request, now).entry;
}

std::string body_of(const EntryRef& entry) { return entry ? std::string(entry->body()) : "(none)"; }

}  // namespace

TEST_CASE("a variant key is the primary key, the separator, then the secondary key") {
    const auto request = fields({{"Accept-Encoding", "gzip"}});
    const VaryNames vary = vary_of("Accept-Encoding");
    VariantKeyBuffer key;
    REQUIRE(build_variant_key(key, primary, vary, request) == VaryKey::built);

    const std::string secondary = secondary_of(vary, request);
    CHECK(key.view() == std::string(primary) + '\x1e' + secondary);
    CHECK(key.view() == join_variant_key(primary, secondary));
    CHECK(key.hash == hash_key(key.view()));
}

TEST_CASE("a variant key splits back into its parts at the first separator") {
    const std::string key = join_variant_key(primary, "accept\x1fgzip\x1e");
    const VariantKeyParts parts = split_variant_key(key);
    CHECK(parts.is_variant);
    CHECK(parts.primary == primary);
    CHECK(parts.secondary == "accept\x1fgzip\x1e");

    const VariantKeyParts plain = split_variant_key(primary);
    CHECK_FALSE(plain.is_variant);
    CHECK(plain.primary == primary);
    CHECK(plain.secondary.empty());
}

TEST_CASE("a primary key holding the separator cannot make a variant key") {
    const std::string odd = std::string(primary) +
                            "\x1e"
                            "x";
    CHECK(join_variant_key(odd, "s").empty());
    VariantKeyBuffer key;
    const auto request = fields({{"Accept-Encoding", "gzip"}});
    CHECK(build_variant_key(key, odd, vary_of("Accept-Encoding"), request) == VaryKey::malformed);
    CHECK(key.size == 0);
}

TEST_CASE("Vary: * and a malformed Vary make no variant key") {
    VariantKeyBuffer key;
    const auto request = fields({{"Accept", "text/html"}});
    CHECK(build_variant_key(key, primary, vary_of("*"), request) == VaryKey::never_matches);
    CHECK(build_variant_key(key, primary, vary_of("no good"), request) == VaryKey::malformed);
    CHECK(key.size == 0);
}

TEST_CASE("the secondary key of a request head equals that of its parsed fields") {
    const std::string head =
        "GET /img HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: br, GZIP\r\n"
        "User-Agent: t\r\naccept-encoding: deflate\r\nVia: 1.1 cachet\r\n\r\n";
    const auto parsed = fields({{"Host", "example.com"},
                                {"Accept-Encoding", "br, GZIP"},
                                {"User-Agent", "t"},
                                {"accept-encoding", "deflate"},
                                {"Via", "1.1 cachet"}});
    const VaryNames vary = vary_of("Accept-Encoding, User-Agent");
    SecondaryKeyBuffer from_head;
    REQUIRE(build_secondary_key_of_head(from_head, vary, head) == VaryKey::built);
    CHECK(from_head.view() == secondary_of(vary, parsed));
}

TEST_CASE("the first line of a request head is the request line, never a field") {
    SecondaryKeyBuffer key;
    REQUIRE(build_secondary_key_of_head(key, vary_of("Accept"), "Accept: a\r\nHost: h\r\n\r\n") ==
            VaryKey::built);
    CHECK(key.view() == secondary_of(vary_of("Accept"), {}));  // recorded as absent
}

TEST_CASE("more varied field lines than the head reader holds is too long, not truncated") {
    std::string head = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 200; ++i) head += "Accept: a\r\n";
    SecondaryKeyBuffer key;
    CHECK(build_secondary_key_of_head(key, vary_of("Accept"), head) == VaryKey::too_long);
    CHECK(key.size == 0);
}

TEST_CASE("a marker's head lists the Vary names, read back by VaryNames::of_head") {
    const VaryNames vary = vary_of("Accept-Language, accept-encoding, Accept-Language");
    const std::string head = vary_marker_head(vary);
    CHECK(head == "cachet vary marker\r\nVary: accept-encoding, Accept-Language\r\n");
    CHECK(same_vary_names(VaryNames::of_head(head), vary));
    CHECK(same_vary_names(vary_of("ACCEPT-ENCODING, accept-language"), vary));
    CHECK_FALSE(same_vary_names(vary_of("Accept-Encoding"), vary));
    CHECK_FALSE(same_vary_names(vary_of("Accept-Encoding, Accept-Language, Accept"), vary));
}

TEST_CASE("two variants of one URL are stored apart, each selected by its own request") {
    Store store(Store::Options{});
    const auto gzip = fields({{"Accept-Encoding", "gzip"}});
    const auto br = fields({{"Accept-Encoding", "br"}});
    store_variant(store, "Accept-Encoding", gzip, 1000, "gzip body");
    store_variant(store, "Accept-Encoding", br, 1000, "br body");

    EntryRef marker = marker_of(store);
    REQUIRE(marker);
    CHECK(marker->is_vary_marker());
    CHECK(marker->body().empty());
    CHECK(body_of(select(store, gzip)) == "gzip body");
    CHECK(body_of(select(store, br)) == "br body");
    CHECK(body_of(select(store, fields({{"Accept-Encoding", "deflate"}}))) == "(none)");
    CHECK(body_of(select(store, {})) == "(none)");  // absent only matches absent
    CHECK(store.stats().entries == 3);
}

TEST_CASE("a reordered, re-cased Accept-Encoding selects the same variant") {
    Store store(Store::Options{});
    store_variant(store, "Accept-Encoding", fields({{"Accept-Encoding", "gzip, br;q=0.5"}}), 1000,
                  "v");
    CHECK(body_of(select(store, fields({{"Accept-Encoding", "BR; Q=0.500 ,GZip"}}))) == "v");
}

TEST_CASE("the marker is kept as long as the longest-lived variant under it") {
    Store store(Store::Options{});
    store_variant(store, "Accept-Encoding", fields({{"Accept-Encoding", "gzip"}}), 5000, "long");
    CHECK(marker_of(store)->freshness().keep_until == 5000);
    store_variant(store, "Accept-Encoding", fields({{"Accept-Encoding", "br"}}), 500, "short");
    CHECK(marker_of(store)->freshness().keep_until == 5000);  // not shortened
    store_variant(store, "Accept-Encoding", fields({{"Accept-Encoding", "zstd"}}), 9000, "longer");
    CHECK(marker_of(store)->freshness().keep_until == 9000);

    CHECK(body_of(select(store, fields({{"Accept-Encoding", "gzip"}}), 4000)) == "long");
    CHECK(body_of(select(store, fields({{"Accept-Encoding", "br"}}), 4000)) == "(none)");
}

TEST_CASE("a new Vary set replaces the marker and leaves the old variants unreachable") {
    Store store(Store::Options{});
    const auto request = fields({{"Accept-Encoding", "gzip"}, {"Accept-Language", "en"}});
    store_variant(store, "Accept-Encoding", request, 5000, "by encoding");
    store_variant(store, "Accept-Language", request, 1000, "by language");

    EntryRef marker = marker_of(store);
    REQUIRE(marker);
    CHECK(same_vary_names(VaryNames::of_head(marker->head().own), vary_of("Accept-Language")));
    CHECK(marker->freshness().keep_until == 1000);  // the old set's variants do not count
    CHECK(body_of(select(store, request)) == "by language");
}

TEST_CASE("a response without Vary replaces the marker") {
    Store store(Store::Options{});
    const auto request = fields({{"Accept-Encoding", "gzip"}});
    store_variant(store, "Accept-Encoding", request, 1000, "variant");
    REQUIRE(insert_response(store, response(primary, "", 1000, "plain"), 100));

    EntryRef entry = marker_of(store);
    REQUIRE(entry);
    CHECK_FALSE(entry->is_vary_marker());
    CHECK(body_of(entry) == "plain");
}

TEST_CASE("erasing the URL's key (invalidation) leaves its variants unreachable") {
    Store store(Store::Options{});
    const auto request = fields({{"Accept-Encoding", "gzip"}});
    store_variant(store, "Accept-Encoding", request, 1000, "variant");
    CHECK(store.erase(primary, hash_key(primary)));
    CHECK(body_of(select(store, request)) == "(none)");
}

TEST_CASE("a plain response is inserted with no marker") {
    Store store(Store::Options{});
    REQUIRE(insert_response(store, response(primary, "", 1000, "plain"), 100));
    CHECK(store.stats().entries == 1);
    CHECK_FALSE(marker_of(store)->is_vary_marker());
}
