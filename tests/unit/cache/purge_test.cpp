#include "cache/purge.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cache/decision.hpp"
#include "cache/entry.hpp"
#include "cache/key.hpp"
#include "cache/stale_use.hpp"
#include "cache/store.hpp"
#include "cache/variants.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

constexpr Seconds t0 = 1'000'000;

std::string key_of(std::string_view host, std::string_view target) {
    KeyBuffer buffer;
    auto key = build_key(buffer, http::Method::get, host, target);
    REQUIRE(key);
    return std::string(*key);
}

struct Made {
    std::string_view extra_fields{};  // header lines, each ending CRLF
    int status = 200;
    Seconds lifetime = 60;
    Seconds keep_until = t0 + 3600;
    StaleRules stale{};
};

EntryRef make(Store& store, std::string_view key, const Made& made = {}) {
    std::string head = "HTTP/1.1 " + std::to_string(made.status) +
                       " X\r\nContent-Type: text/plain\r\nETag: \"v1\"\r\n";
    head += made.extra_fields;
    Entry::Spec spec;
    spec.key = key;
    spec.hash = hash_key(key);
    spec.head = head;
    spec.status = made.status;
    spec.body_size = 4;
    spec.freshness = {t0, 0, made.lifetime, made.keep_until};
    spec.stale = made.stale;
    EntryRef e = Entry::create(spec, store.shared_heads());
    std::memcpy(e->body_data(), "body", 4);
    return e;
}

void put(Store& store, std::string_view host, std::string_view target, const Made& made = {}) {
    REQUIRE(store.insert(make(store, key_of(host, target), made), t0));
}

EntryRef find(Store& store, std::string_view host, std::string_view target, Seconds now = t0) {
    std::string key = key_of(host, target);
    return store.lookup(key, hash_key(key), now);
}

std::size_t purge(Store& store, const PurgeRequest& request, Seconds now = t0 + 10) {
    auto match = normalise(request);
    REQUIRE(match);
    return store.purge(*match, now);
}

PurgeRequest url(std::string_view u, bool soft = false) {
    return {.by = PurgeBy::url, .url = u, .soft = soft};
}
PurgeRequest prefix(std::string_view path, std::string_view host = {}, bool soft = false) {
    return {.by = PurgeBy::prefix, .host = host, .path = path, .soft = soft};
}
PurgeRequest tag(std::string_view t, bool soft = false) {
    return {.by = PurgeBy::tag, .tag = t, .soft = soft};
}

Store small_store(std::vector<std::string> tag_headers = {"Surrogate-Key"}) {
    return Store({.budget_bytes = 64u << 20, .shard_count = 16, .tag_headers = tag_headers});
}

// Stores a variant the way the proxy does: under primary 0x1E secondary, with its marker.
void put_variant(Store& store, std::string_view host, std::string_view target,
                 std::string_view secondary) {
    std::string key = join_variant_key(key_of(host, target), secondary);
    REQUIRE(insert_response(store, make(store, key, {.extra_fields = "Vary: Accept\r\n"}), t0));
}

}  // namespace

TEST_CASE("a URL purge drops the URL's marker and every variant, and not its neighbours") {
    Store store = small_store();
    put_variant(store, "shop.example", "/p?id=1", "text/html");
    put_variant(store, "shop.example", "/p?id=1", "application/json");
    put(store, "shop.example", "/p?id=10");
    put(store, "shop.example", "/p?id=1x");
    REQUIRE(store.stats().entries == 5);  // two variants, their marker, two other URLs

    CHECK(purge(store, url("http://SHOP.example:80/p?id=1")) == 3);
    CHECK(store.stats().entries == 2);
    CHECK_FALSE(find(store, "shop.example", "/p?id=1"));
    CHECK(find(store, "shop.example", "/p?id=10"));
    CHECK(find(store, "shop.example", "/p?id=1x"));
    CHECK(purge(store, url("http://shop.example/p?id=1")) == 0);  // nothing left to purge
}

TEST_CASE("a URL purge by host and origin-form target drops a partial entry (a stored 206)") {
    Store store = small_store();
    put(store, "media.example", "/video.mp4",
        {.extra_fields = "Content-Range: bytes 0-3/100\r\n", .status = 206});
    REQUIRE(find(store, "media.example", "/video.mp4")->is_partial());

    CHECK(purge(store, {.by = PurgeBy::url, .host = "media.example", .path = "/video.mp4"}) == 1);
    CHECK_FALSE(find(store, "media.example", "/video.mp4"));
}

TEST_CASE("a prefix purge with a host drops only that host's targets under the prefix") {
    Store store = small_store();
    for (int i = 0; i < 20; ++i) {
        put(store, "a.example", "/api/v1/item" + std::to_string(i));
        put(store, "b.example", "/api/v1/item" + std::to_string(i));
    }
    put(store, "a.example", "/apix");
    put(store, "a.example", "/static/app.js");

    CHECK(purge(store, prefix("/api/", "A.example")) == 20);
    CHECK_FALSE(find(store, "a.example", "/api/v1/item3"));
    CHECK(find(store, "b.example", "/api/v1/item3"));
    CHECK(find(store, "a.example", "/apix"));
    CHECK(find(store, "a.example", "/static/app.js"));
}

TEST_CASE("a prefix purge without a host drops the prefix on every host") {
    Store store = small_store();
    for (const char* host : {"a.example", "a.example:8080", "b.example", "ab.example"}) {
        put(store, host, "/api/x");
        put(store, host, "/img/y");
    }
    CHECK(purge(store, prefix("/api/")) == 4);
    CHECK(store.stats().entries == 4);
    CHECK_FALSE(find(store, "a.example:8080", "/api/x"));
    CHECK(find(store, "ab.example", "/img/y"));
    CHECK(purge(store, prefix("/")) == 4);
    CHECK(store.stats().entries == 0);
}

TEST_CASE("a tag purge finds tags split by spaces or commas, in every configured field") {
    Store store = small_store({"Surrogate-Key", "Cache-Tag"});
    put(store, "h", "/1", {.extra_fields = "Surrogate-Key: product-42 list\r\n"});
    put(store, "h", "/2", {.extra_fields = "cache-tag: list,product-42 , x\r\n"});
    put(store, "h", "/3",
        {.extra_fields = "Surrogate-Key: product-7\r\nCache-Tag: product-42\r\n"});
    put(store, "h", "/4", {.extra_fields = "X-Other-Tag: product-42\r\n"});

    CHECK(purge(store, tag("product-42")) == 3);
    CHECK_FALSE(find(store, "h", "/1"));
    CHECK_FALSE(find(store, "h", "/2"));
    CHECK_FALSE(find(store, "h", "/3"));
    CHECK(find(store, "h", "/4"));          // not a tag field
    CHECK(purge(store, tag("list")) == 0);  // its entries went with product-42
    CHECK(purge(store, tag("product-7")) == 0);
    CHECK(store.stats().index_bytes > 0);  // the path index of /4 remains
}

TEST_CASE("a soft purge keeps the entry stored and stale from now, validators and windows kept") {
    Store store = small_store();
    put(store, "h", "/swr",
        {.extra_fields = "Surrogate-Key: t\r\n",
         .lifetime = 600,
         .stale = {.while_revalidate = 30, .if_error = 300, .has_validators = true}});
    put(store, "h", "/must",
        {.extra_fields = "Surrogate-Key: t\r\n",
         .lifetime = 600,
         .stale = {.must_revalidate = true, .has_validators = true}});
    const Seconds now = t0 + 10;
    REQUIRE(find(store, "h", "/swr", now)->fresh(now));

    CHECK(purge(store, tag("t", /*soft=*/true), now) == 2);
    CHECK(store.stats().entries == 2);

    EntryRef swr = find(store, "h", "/swr", now);
    REQUIRE(swr);
    CHECK_FALSE(swr->fresh(now));
    CHECK(swr->freshness().lifetime == 10);  // ends at `now`: its age then
    CHECK(swr->head().text().find("ETag: \"v1\"") != std::string::npos);
    RequestTraits get{.keyed = true};
    // Within stale-while-revalidate: served at once, one request revalidates it.
    CHECK(decide(get, {.entry = swr.get()}, now).decision == Decision::serve_stale_and_refresh);
    CHECK(decide(get, {.entry = swr.get()}, now + 30).decision ==
          Decision::serve_stale_and_refresh);
    CHECK(decide(get, {.entry = swr.get()}, now + 31).decision == Decision::revalidate);
    CHECK(may_serve_on_error(*swr, now + 300));  // stale-if-error counts from the purge
    CHECK_FALSE(may_serve_on_error(*swr, now + 301));

    EntryRef must = find(store, "h", "/must", now);
    REQUIRE(must);
    CHECK(stale_use(nullptr, *must, now) == StaleUse::revalidate);
    CHECK(decide(get, {.entry = must.get()}, now).decision == Decision::revalidate);
}

TEST_CASE("a soft purge never makes an entry fresher, and skips vary markers") {
    Store store = small_store();
    put(store, "h", "/old", {.lifetime = 5});  // stale since t0 + 5
    put_variant(store, "h", "/v", "a");
    CHECK(purge(store, prefix("/", "h", /*soft=*/true), t0 + 10) == 2);  // /old and the variant
    EntryRef old = find(store, "h", "/old", t0 + 10);
    REQUIRE(old);
    CHECK(old->freshness().lifetime == 5);
    EntryRef marker = find(store, "h", "/v", t0 + 10);
    REQUIRE(marker);
    CHECK(marker->is_vary_marker());
}

TEST_CASE("the indexes follow eviction, expiry, erase and replacement") {
    const EntryRef sample = [] {
        Store probe = small_store();
        return make(probe, key_of("h", "/0"), {.extra_fields = "Surrogate-Key: t\r\n"});
    }();
    // Room for about ten entries: inserting forty evicts thirty.
    Store store({.budget_bytes = 10 * sample->charge() + 4096, .shard_count = 1});
    for (int i = 0; i < 40; ++i) {
        put(store, "h", "/e" + std::to_string(i), {.extra_fields = "Surrogate-Key: t\r\n"});
    }
    const std::size_t kept = store.stats().entries;
    REQUIRE(kept < 40);
    CHECK(store.stats().evictions == 40 - kept);
    CHECK(purge(store, tag("t")) == kept);  // the evicted ones left the tag's set
    CHECK(store.stats().entries == 0);
    CHECK(store.stats().index_bytes < 1024);  // tag and path nodes gone with their entries

    Store other = small_store();
    put(other, "h", "/expires", {.extra_fields = "Surrogate-Key: t\r\n", .keep_until = t0 + 5});
    put(other, "h", "/erased", {.extra_fields = "Surrogate-Key: t\r\n"});
    put(other, "h", "/replaced", {.extra_fields = "Surrogate-Key: t old\r\n"});
    CHECK_FALSE(find(other, "h", "/expires", t0 + 5));  // an expiration
    std::string erased = key_of("h", "/erased");
    CHECK(other.erase(erased, hash_key(erased)));
    // A new response for the same key with other tags.
    put(other, "h", "/replaced", {.extra_fields = "Surrogate-Key: new\r\n"});
    CHECK(purge(other, tag("t")) == 0);
    CHECK(purge(other, tag("old")) == 0);
    CHECK(purge(other, prefix("/e")) == 0);
    CHECK(purge(other, tag("new")) == 1);
    CHECK(other.stats().entries == 0);
}

TEST_CASE("normalise refuses what cannot name stored entries, naming nothing") {
    CHECK_FALSE(normalise(url("ftp://h/x")));
    CHECK_FALSE(normalise(url("/x")));
    CHECK_FALSE(normalise({.by = PurgeBy::url, .path = "/x"}));  // no host
    CHECK_FALSE(normalise(prefix("api/")));
    CHECK_FALSE(normalise(prefix("/a\x1e")));
    CHECK_FALSE(normalise(tag("")));
    auto m = normalise(url("http://Example.COM./a?b"));
    REQUIRE(m);
    CHECK(m->url == "example.com\x1f/a?b");
    auto p = normalise(prefix("/a", "Example.com:80"));
    REQUIRE(p);
    CHECK(p->host == "example.com");
}

TEST_CASE("purges run while two threads insert and look up (bounded loops)") {
    Store store({.budget_bytes = 4u << 20, .shard_count = 8});
    std::vector<std::string> keys;
    for (int i = 0; i < 200; ++i) keys.push_back(key_of("h", "/c/" + std::to_string(i)));
    std::atomic<int> running{2};
    auto worker = [&](int seed) {
        for (int round = 0; round < 20000; ++round) {
            const std::string& key = keys[(round * 7 + seed) % keys.size()];
            if (round % 3 == 0) {
                store.insert(make(store, key, {.extra_fields = "Surrogate-Key: c all\r\n"}), t0);
            } else if (EntryRef e = store.lookup(key, hash_key(key), t0 + 1)) {
                (void)e->fresh(t0 + 1);  // reads the lifetime a soft purge writes
                (void)e->body().size();
            }
        }
        running.fetch_sub(1);
    };
    std::thread a(worker, 0);
    std::thread b(worker, 3);
    std::size_t purged = 0;
    // Until both are done (each loop is bounded), and at least 50 times.
    for (int i = 0; i < 1'000'000 && (running.load() > 0 || i < 50); ++i) {
        purged +=
            purge(store, i % 2 ? tag("all", /*soft=*/i % 4 == 1) : prefix("/c/", "h"), t0 + 1);
    }
    a.join();
    b.join();
    CHECK(purged > 0);
    const std::size_t left = store.stats().entries;
    CHECK(purge(store, prefix("/")) == left);  // the index still holds every stored entry
    CHECK(store.stats().entries == 0);
}
