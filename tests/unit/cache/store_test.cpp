#include "cache/store.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cache/entry.hpp"
#include "cache/key.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

constexpr Seconds forever = Seconds{1} << 40;

// An entry whose body is `body`, stored under `key`; the hash is the key's own unless a test
// forces one (to choose a shard or to collide).
EntryRef make_entry(std::string_view key, std::string_view body, Seconds keep_until = forever,
                    std::uint64_t hash = 0) {
    Entry::Spec spec;
    spec.key = key;
    spec.hash = hash != 0 ? hash : hash_key(key);
    spec.head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";
    spec.body_size = body.size();
    spec.freshness.response_time = 0;
    spec.freshness.lifetime = 60;
    spec.freshness.keep_until = keep_until;
    EntryRef entry = Entry::create(spec);
    std::memcpy(entry->body_data(), body.data(), body.size());
    return entry;
}

EntryRef find(Store& store, std::string_view key, Seconds now = 0) {
    return store.lookup(key, hash_key(key), now);
}

std::string body_for(std::string_view key) { return "body of " + std::string(key); }

// A budget that holds any three of four entries but not all four. Charges are the
// allocator's sizes, which may differ by an allocation's history (glibc in test builds),
// so a budget of "3 × one entry's charge" could hold only two of the others.
std::size_t budget_for_all_but_one(const std::vector<EntryRef>& entries) {
    std::size_t total = 0;
    for (const EntryRef& e : entries) total += e->charge();
    return total - 1;
}

// An entry made the way the proxy makes them: its repeated head lines shared in the store.
EntryRef make_shared_entry(Store& store, std::string_view key, std::string_view head,
                           std::string_view body, Seconds keep_until = forever) {
    Entry::Spec spec;
    spec.key = key;
    spec.hash = hash_key(key);
    spec.head = head;
    spec.body_size = body.size();
    spec.freshness.lifetime = 60;
    spec.freshness.keep_until = keep_until;
    EntryRef entry = Entry::create(spec, store.shared_heads());
    if (!body.empty()) std::memcpy(entry->body_data(), body.data(), body.size());
    return entry;
}

std::string head_dated(std::string_view date, std::string_view type = "text/plain") {
    return "HTTP/1.1 200 OK\r\nDate: " + std::string(date) +
           "\r\nContent-Type: " + std::string(type) +
           "\r\nCache-Control: max-age=60\r\nContent-Length: 3\r\n";
}

}  // namespace

TEST_CASE("an entry keeps its key, head, body, status and freshness") {
    Entry::Spec spec;
    spec.key = "GET\x1fh\x1f/";
    spec.hash = 7;
    spec.head = "HTTP/1.1 404 Not Found\r\n";
    spec.body_size = 5;
    spec.status = 404;
    spec.freshness.keep_until = 99;
    EntryRef entry = Entry::create(spec);
    std::memcpy(entry->body_data(), "hello", 5);

    CHECK(entry->key() == spec.key);
    CHECK(entry->head().shared.empty());  // created without shared heads: all its own
    CHECK(entry->head().own == spec.head);
    CHECK(entry->head().text() == spec.head);
    CHECK(entry->body() == "hello");
    CHECK(entry->hash() == 7);
    CHECK(entry->status() == 404);
    CHECK(entry->freshness().keep_until == 99);
    CHECK(entry->charge() >= sizeof(Entry) + spec.key.size() + spec.head.size() + 5);
}

TEST_CASE("entries made with the store's shared heads keep one copy of their repeated lines") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 4});
    EntryRef a = make_shared_entry(store, "a", head_dated("Mon, 23 Nov 2026 10:00:00 GMT"), "AAA");
    EntryRef b = make_shared_entry(store, "b", head_dated("Mon, 23 Nov 2026 10:00:01 GMT"), "BBB");

    CHECK(a->head().shared ==
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCache-Control: max-age=60\r\n");
    CHECK(a->head().shared.data() == b->head().shared.data());  // one block, not two copies
    CHECK(a->head().own == "Date: Mon, 23 Nov 2026 10:00:00 GMT\r\nContent-Length: 3\r\n");
    CHECK(b->head().own == "Date: Mon, 23 Nov 2026 10:00:01 GMT\r\nContent-Length: 3\r\n");
    CHECK(a->body() == "AAA");
    CHECK(store.stats().shared_head_blocks == 1);
    // The block is charged once, by the table, not with each entry.
    CHECK(a->charge() < sizeof(Entry) + a->key().size() + head_dated("x").size() + 3);
}

TEST_CASE("a shared head block counts against the budget and leaves with its last entry") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 4});
    CHECK(store.insert(make_shared_entry(store, "a", head_dated("d1"), "AAA"), 0));
    CHECK(store.insert(make_shared_entry(store, "b", head_dated("d2"), "BBB"), 0));
    CHECK(store.insert(make_shared_entry(store, "c", head_dated("d3", "image/png"), "CCC"), 0));
    StoreStats stats = store.stats();
    CHECK(stats.shared_head_blocks == 2);
    CHECK(stats.shared_head_bytes > 0);

    CHECK(store.erase("a", hash_key("a")));
    CHECK(store.stats().shared_head_blocks == 2);  // b still uses text/plain's block
    CHECK(store.erase("b", hash_key("b")));
    CHECK(store.stats().shared_head_blocks == 1);
    CHECK(store.erase("c", hash_key("c")));
    stats = store.stats();
    CHECK(stats.shared_head_blocks == 0);
    CHECK(stats.shared_head_bytes == 0);
    CHECK(stats.bytes == 0);
}

TEST_CASE("an entry outlives its store with its shared head lines readable") {
    EntryRef kept;
    {
        Store store({.budget_bytes = 1 << 20, .shard_count = 4});
        kept = make_shared_entry(store, "a", head_dated("d1"), "AAA");
        CHECK(store.insert(kept, 0));
    }
    CHECK(kept->head().text() ==
          head_dated("d1").substr(0, 17) +
              "Content-Type: text/plain\r\n"
              "Cache-Control: max-age=60\r\nDate: d1\r\nContent-Length: 3\r\n");
    kept.reset();  // the last reference frees the block, then the table (ASan checks both)
}

TEST_CASE("eviction keeps entries and their shared head blocks within the budget") {
    // Every entry has a Content-Type of its own: blocks are as many as entries.
    auto head_for = [](int i) { return head_dated("d", "type/" + std::to_string(i)); };
    std::size_t budget = 0;
    {
        Store probe({.budget_bytes = 1 << 20, .shard_count = 4});
        CHECK(probe.insert(make_shared_entry(probe, "k-1000", head_for(0), "abc"), 0));
        StoreStats one = probe.stats();
        budget = 10 * (one.bytes + one.shared_head_bytes);
    }
    Store store({.budget_bytes = budget, .shard_count = 4});
    for (int i = 0; i < 100; ++i) {
        std::string key = "k-" + std::to_string(1000 + i);
        CHECK(store.insert(make_shared_entry(store, key, head_for(i), "abc"), i));
        StoreStats stats = store.stats();
        CHECK(stats.bytes + stats.shared_head_bytes <= budget);
        CHECK(stats.shared_head_blocks == stats.entries);
    }
    CHECK(store.stats().entries >= 5);
}

TEST_CASE("an entry's age counts its initial age and time resident, never negative") {
    Entry::Spec spec;
    spec.key = "k";
    spec.freshness.response_time = 1000;
    spec.freshness.initial_age = 5;
    spec.freshness.lifetime = 60;
    EntryRef entry = Entry::create(spec);
    CHECK(entry->age(1010) == 15);
    CHECK(entry->age(900) == 5);
    CHECK(entry->fresh(1054));
    CHECK_FALSE(entry->fresh(1055));
}

TEST_CASE("a stored entry is found by its key") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 4});
    CHECK(store.insert(make_entry("k1", body_for("k1")), 0));

    EntryRef found = find(store, "k1");
    REQUIRE(found);
    CHECK(found->key() == "k1");
    CHECK(found->body() == body_for("k1"));
    CHECK_FALSE(find(store, "k2"));
}

TEST_CASE("the shard count is rounded up to a power of two") {
    CHECK(Store({.budget_bytes = 1 << 20, .shard_count = 5}).shard_count() == 8);
    CHECK(Store({.budget_bytes = 1 << 20, .shard_count = 64}).shard_count() == 64);
    CHECK(Store({.budget_bytes = 1 << 20, .shard_count = 0}).shard_count() == 1);
}

TEST_CASE("two keys with the same hash are told apart by the full key") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 2});
    constexpr std::uint64_t same = 0x9e3779b97f4a7c15;
    CHECK(store.insert(make_entry("alpha", "A", forever, same), 0));
    CHECK(store.insert(make_entry("beta", "B", forever, same), 0));

    EntryRef alpha = store.lookup("alpha", same, 0);
    EntryRef beta = store.lookup("beta", same, 0);
    REQUIRE(alpha);
    REQUIRE(beta);
    CHECK(alpha->body() == "A");
    CHECK(beta->body() == "B");
    CHECK_FALSE(store.lookup("gamma", same, 0));
    CHECK(store.stats().entries == 2);

    CHECK(store.erase("alpha", same));
    CHECK_FALSE(store.lookup("alpha", same, 0));
    CHECK(store.lookup("beta", same, 0));
}

TEST_CASE("inserting under an existing key replaces the entry and its charge") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 4});
    EntryRef first = make_entry("k", "old");
    EntryRef second = make_entry("k", "new, longer body");
    std::size_t second_charge = second->charge();
    CHECK(store.insert(first, 0));
    CHECK(store.insert(second, 0));

    EntryRef found = find(store, "k");
    REQUIRE(found);
    CHECK(found->body() == "new, longer body");
    StoreStats stats = store.stats();
    CHECK(stats.entries == 1);
    CHECK(stats.bytes == second_charge);
    CHECK(stats.evictions == 0);
    // The replaced entry lost only the store's reference: ours still reads.
    CHECK(first->body() == "old");
}

TEST_CASE("inserting the entry that is already stored changes nothing") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 1});
    EntryRef entry = make_entry("k", "v");
    CHECK(store.insert(entry, 0));
    CHECK(store.insert(entry, 0));
    CHECK(store.stats().entries == 1);
    CHECK(store.stats().bytes == entry->charge());
    CHECK(find(store, "k").get() == entry.get());
}

TEST_CASE("under budget pressure the least recently used entry goes first") {
    // Entries of one size; the budget holds three of them.
    std::vector<EntryRef> entries;
    for (std::string_view key : {"a", "b", "c", "d"}) entries.push_back(make_entry(key, "body"));
    Store store({.budget_bytes = budget_for_all_but_one(entries), .shard_count = 1});

    for (int i = 0; i < 3; ++i) CHECK(store.insert(entries[i], 100));
    // One second later, "a" may move to the front (promotion is rate-limited per second).
    CHECK(find(store, "a", 101));
    CHECK(store.insert(entries[3], 101));

    CHECK(find(store, "a", 101));
    CHECK_FALSE(find(store, "b", 101));  // the least recently used
    CHECK(find(store, "c", 101));
    CHECK(find(store, "d", 101));
    CHECK(store.stats().evictions == 1);
}

TEST_CASE("a lookup within a second of the last promotion leaves the LRU order alone") {
    std::vector<EntryRef> entries;
    for (std::string_view key : {"a", "b", "c", "d"}) entries.push_back(make_entry(key, "body"));
    Store store({.budget_bytes = budget_for_all_but_one(entries), .shard_count = 1});

    for (int i = 0; i < 3; ++i) CHECK(store.insert(entries[i], 100));
    CHECK(find(store, "a", 100));  // same second as its insert: not promoted
    CHECK(store.insert(entries[3], 100));

    CHECK_FALSE(find(store, "a", 100));
    CHECK(find(store, "b", 100));
}

TEST_CASE("an entry is not returned from its keep_until time on, and counts as expired") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 4});
    CHECK(store.insert(make_entry("k", "v", /*keep_until=*/1100), 1000));

    CHECK(find(store, "k", 1099));
    CHECK_FALSE(find(store, "k", 1100));
    StoreStats stats = store.stats();
    CHECK(stats.expirations == 1);
    CHECK(stats.entries == 0);
    CHECK(stats.bytes == 0);
    CHECK_FALSE(find(store, "k", 1000));  // dropped, not merely hidden
}

TEST_CASE("eviction keeps the charged bytes within the budget") {
    std::size_t charge = make_entry("key-0000", "0123456789")->charge();
    std::size_t budget = 10 * charge + charge / 2;
    Store store({.budget_bytes = budget, .shard_count = 4});

    for (int i = 0; i < 100; ++i) {
        std::string key = "key-" + std::to_string(1000 + i);
        CHECK(store.insert(make_entry(key, "0123456789"), i));
        CHECK(store.stats().bytes <= budget);
    }
    StoreStats stats = store.stats();
    CHECK(stats.entries == 10);
    CHECK(stats.evictions == 90);
    CHECK(find(store, "key-1099", 100));  // the newest survives
}

TEST_CASE("an entry larger than the whole budget is refused") {
    EntryRef big = make_entry("big", std::string(4096, 'x'));
    Store store({.budget_bytes = big->charge() - 1, .shard_count = 4});
    CHECK(store.insert(make_entry("small", "s"), 0));

    CHECK_FALSE(store.insert(big, 0));
    CHECK_FALSE(find(store, "big"));
    CHECK(find(store, "small"));
    CHECK(store.stats().evictions == 0);
}

TEST_CASE("a large entry evicts from other shards when its own shard has nothing to give") {
    // Two shards: the top bit of the hash chooses one.
    constexpr std::uint64_t shard0 = 0x0000000000000001;
    constexpr std::uint64_t shard1 = 0x8000000000000001;
    EntryRef big = make_entry("big", std::string(8192, 'x'), forever, shard0);
    EntryRef small_a = make_entry("a", "a", forever, shard1);
    EntryRef small_b = make_entry("b", "b", forever, shard1 + 1);
    std::size_t budget = big->charge() + small_b->charge();
    Store store({.budget_bytes = budget, .shard_count = 2});

    CHECK(store.insert(small_a, 0));
    CHECK(store.insert(small_b, 0));
    CHECK(store.insert(big, 0));

    StoreStats stats = store.stats();
    CHECK(stats.bytes <= budget);
    CHECK(stats.evictions == 1);
    CHECK(store.lookup("big", shard0, 0));
    CHECK_FALSE(store.lookup("a", shard1, 0));  // the older of the two goes
    CHECK(store.lookup("b", shard1 + 1, 0));
}

TEST_CASE("an entry held by a reader survives its eviction") {
    EntryRef first = make_entry("first", std::string(1000, 'f'));
    Store store({.budget_bytes = first->charge() + 100, .shard_count = 1});
    CHECK(store.insert(std::move(first), 0));

    EntryRef held = find(store, "first");
    REQUIRE(held);
    CHECK(store.insert(make_entry("second", std::string(1000, 's')), 0));

    CHECK_FALSE(find(store, "first"));
    CHECK(store.stats().evictions == 1);
    // The store let go; our reference keeps the block (ASan reports a use after free here
    // if eviction freed it).
    CHECK(held->body() == std::string(1000, 'f'));
    CHECK(held->key() == "first");
}

TEST_CASE("erase drops an entry and reports whether there was one") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 4});
    CHECK(store.insert(make_entry("k", "v"), 0));
    CHECK(store.erase("k", hash_key("k")));
    CHECK_FALSE(store.erase("k", hash_key("k")));
    CHECK_FALSE(find(store, "k"));
    CHECK(store.stats().bytes == 0);
}

TEST_CASE("stats count entries, charged bytes, evictions and expirations over all shards") {
    std::vector<EntryRef> entries;
    std::size_t total = 0;
    for (int i = 0; i < 50; ++i) {
        entries.push_back(make_entry("key-" + std::to_string(i), "v", /*keep_until=*/100 + i));
        total += entries.back()->charge();
    }
    Store store({.budget_bytes = 1 << 20, .shard_count = 8});
    for (const EntryRef& entry : entries) CHECK(store.insert(entry, 0));

    StoreStats stats = store.stats();
    CHECK(stats.entries == 50);
    CHECK(stats.bytes == total);
    CHECK(stats.evictions == 0);
    CHECK(stats.table_bytes > 0);

    // At 110, key-0 .. key-10 have reached keep_until.
    for (int i = 0; i < 50; ++i) find(store, "key-" + std::to_string(i), 110);
    stats = store.stats();
    CHECK(stats.expirations == 11);
    CHECK(stats.entries == 39);
}

TEST_CASE("a shard's table grows and keeps every entry reachable") {
    Store store({.budget_bytes = 64u << 20, .shard_count = 1});
    for (int i = 0; i < 5000; ++i) {
        std::string key = "key-" + std::to_string(i);
        CHECK(store.insert(make_entry(key, body_for(key)), 0));
    }
    int found = 0;
    for (int i = 0; i < 5000; ++i) {
        std::string key = "key-" + std::to_string(i);
        EntryRef entry = find(store, key);
        if (entry && entry->body() == body_for(key)) ++found;
    }
    CHECK(found == 5000);
    CHECK(store.stats().table_bytes >= 5000 * sizeof(void*));
}

TEST_CASE("two threads inserting and looking up random keys see only whole, matching entries") {
    std::size_t charge = make_entry("key-0000", body_for("key-0000"))->charge();
    std::size_t budget = 200 * charge;
    Store store({.budget_bytes = budget, .shard_count = 4});
    std::atomic<int> mismatches{0};
    std::atomic<int> hits{0};

    auto work = [&](std::uint64_t seed) {
        std::uint64_t x = seed;
        for (int i = 0; i < 20000; ++i) {
            x ^= x << 13;  // xorshift64: cheap, deterministic per thread
            x ^= x >> 7;
            x ^= x << 17;
            std::string key = "key-" + std::to_string(1000 + x % 1000);
            auto now = static_cast<Seconds>(i / 1000);
            if ((x >> 32) % 2 == 0) {
                // Three heads to share: the threads intern and release the same blocks.
                std::string head = head_dated("d", "type/" + std::to_string(x % 3));
                store.insert(
                    make_shared_entry(store, key, head, body_for(key), /*keep_until=*/now + 5),
                    now);
            } else if (EntryRef entry = find(store, key, now)) {
                ++hits;
                if (entry->key() != key || entry->body() != body_for(key)) ++mismatches;
            }
        }
    };
    std::thread other(work, 0x243f6a8885a308d3);
    work(0x13198a2e03707344);
    other.join();

    CHECK(mismatches == 0);
    CHECK(hits > 0);
    StoreStats stats = store.stats();
    CHECK(stats.bytes + stats.shared_head_bytes <= budget);
    CHECK(stats.evictions > 0);
    CHECK(stats.shared_head_blocks <= 3);
}

namespace {

// An entry with this status; a 206 is a partial entry, whatever its head says.
EntryRef entry_with_status(int status, std::string_view key, std::string_view body) {
    Entry::Spec spec;
    spec.key = key;
    spec.hash = hash_key(key);
    spec.head = status == 206 ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n";
    spec.body_size = body.size();
    spec.status = status;
    spec.freshness.lifetime = 60;
    spec.freshness.keep_until = forever;
    EntryRef entry = Entry::create(spec);
    std::memcpy(entry->body_data(), body.data(), body.size());
    return entry;
}

}  // namespace

TEST_CASE("a partial entry never replaces a complete one (RFC 9111 §3.3)") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 8});
    const std::string key = "GET\x1fh\x1f/partial";
    REQUIRE(store.insert(entry_with_status(200, key, "0123456789"), 0));
    CHECK_FALSE(store.insert(entry_with_status(206, key, "01"), 0));
    REQUIRE(find(store, key));
    CHECK(find(store, key)->status() == 200);
    CHECK(find(store, key)->body() == "0123456789");
}

TEST_CASE("a complete or a newer partial response replaces a partial entry (RFC 9111 §3.3)") {
    Store store({.budget_bytes = 1 << 20, .shard_count = 8});
    const std::string key = "GET\x1fh\x1f/partial";
    REQUIRE(store.insert(entry_with_status(206, key, "01"), 0));
    CHECK(find(store, key)->is_partial());
    CHECK(store.insert(entry_with_status(206, key, "ab"), 0));
    CHECK(find(store, key)->body() == "ab");
    CHECK(store.insert(entry_with_status(200, key, "0123456789"), 0));
    CHECK_FALSE(find(store, key)->is_partial());
    CHECK(find(store, key)->body() == "0123456789");
}
