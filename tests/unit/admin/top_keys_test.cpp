#include "admin/top_keys.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cache/key.hpp"

using namespace cachet;
using namespace cachet::admin;

namespace {

// A primary key as build_key writes it.
std::string key_of(std::string_view host, std::string_view target) {
    return "GET\x1f" + std::string(host) + "\x1f" + std::string(target);
}

void record(TopKeys& keys, const std::string& key) { keys.record(key, cache::hash_key(key)); }

std::vector<TopKey> top(const TopKeys& keys, std::size_t n = kTopKeysShown) {
    const TopKeyTable table = keys.table();
    return merge_top_keys({&table, 1}, n);
}

}  // namespace

TEST_CASE("about one hit in 16 is sampled, never with a gap of 32 or more") {
    TopKeys keys(42);
    int samples = 0, since = 0, longest = 0;
    for (int i = 0; i < 160'000; ++i) {
        ++since;
        if (keys.sample()) {
            record(keys, key_of("a", "/x"));
            ++samples;
            longest = std::max(longest, since);
            since = 0;
        }
    }
    CHECK(samples > 9'000);
    CHECK(samples < 11'000);
    CHECK(longest <= 2 * static_cast<int>(kTopKeySampleEvery) - 1);
}

TEST_CASE("a recorded key is shown as host and target, its hits scaled by the sampling") {
    TopKeys keys(1);
    for (int i = 0; i < 3; ++i) record(keys, key_of("shop.example", "/p?id=1"));
    record(keys, key_of("shop.example", "/q"));
    auto shown = top(keys);
    REQUIRE(shown.size() == 2);
    CHECK(shown[0].key == "shop.example/p?id=1");
    CHECK(shown[0].hits == 3 * kTopKeySampleEvery);
    CHECK(shown[1].key == "shop.example/q");
    CHECK(shown[1].hits == kTopKeySampleEvery);
}

TEST_CASE("a new key takes the least counted slot with its count plus one (space-saving)") {
    TopKeys keys(1);
    for (std::size_t i = 0; i < kTopKeySlots; ++i) {
        for (std::size_t n = 0; n <= i; ++n) record(keys, key_of("h", "/" + std::to_string(i)));
    }
    record(keys, key_of("h", "/new"));  // replaces "/0", counted once: 1 + 1
    auto shown = top(keys, kTopKeySlots);
    REQUIRE(shown.size() == kTopKeySlots);
    bool has_new = false, has_0 = false;
    for (const auto& k : shown) {
        if (k.key == "h/new") {
            has_new = true;
            CHECK(k.hits == 2 * kTopKeySampleEvery);
        }
        has_0 |= k.key == "h/0";
    }
    CHECK(has_new);
    CHECK_FALSE(has_0);
}

TEST_CASE("a key with a quarter of the hits tops the table among thousands of others") {
    TopKeys keys(7);
    for (int i = 0; i < 20'000; ++i) {
        record(keys, i % 4 == 0 ? key_of("h", "/hot") : key_of("h", "/cold" + std::to_string(i)));
    }
    auto shown = top(keys);
    REQUIRE_FALSE(shown.empty());
    CHECK(shown[0].key == "h/hot");
    CHECK(shown[0].hits >= 5'000 * kTopKeySampleEvery);  // never undercounted
}

TEST_CASE("workers' tables are summed by key, most hits first, at most n") {
    TopKeys a(1), b(2);
    for (int i = 0; i < 2; ++i) record(a, key_of("h", "/both"));
    for (int i = 0; i < 3; ++i) record(b, key_of("h", "/both"));
    for (int i = 0; i < 4; ++i) record(b, key_of("h", "/b-only"));
    record(a, key_of("h", "/a-only"));
    const std::vector<TopKeyTable> tables{a.table(), b.table()};
    auto shown = merge_top_keys(tables, 2);
    REQUIRE(shown.size() == 2);
    CHECK(shown[0].key == "h/both");
    CHECK(shown[0].hits == 5 * kTopKeySampleEvery);
    CHECK(shown[1].key == "h/b-only");
}

TEST_CASE("a long key is cut at a character's start and shown with ...") {
    TopKeys keys(1);
    std::string target = "/" + std::string(kTopKeyText - 4, 'a') + "\xc3\xa9tail";
    record(keys, key_of("h", target));  // "h" 0x1F then the target: the é straddles the cut
    auto shown = top(keys);
    REQUIRE(shown.size() == 1);
    CHECK(shown[0].key == "h/" + std::string(kTopKeyText - 4, 'a') + "...");
    CHECK(key_text("h\x1f/a\x1fx-lang\x1e"
                   "de",
                   false) == "h/a x-lang de");
}

TEST_CASE("the published copy changes only at publish(), and only after a new sample") {
    TopKeys keys(1);
    PublishedTopKeys published;
    record(keys, key_of("h", "/a"));
    CHECK(published.read()[0].count == 0);
    published.publish(keys);
    TopKeyTable first = published.read();
    std::uint64_t total = 0;
    for (const auto& slot : first) total += slot.count;
    CHECK(total == 1);
    CHECK_FALSE(keys.take_changed());  // publish() took it
    record(keys, key_of("h", "/a"));
    CHECK(keys.take_changed());
}
