#include "persist/store_file.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "cache/key.hpp"
#include "snapshot/writer.hpp"

using namespace cachet;

namespace {

struct TempDir {
    TempDir() {
        static int count = 0;
        dir = std::filesystem::temp_directory_path() /
              ("cachet-unit-persist-" + std::to_string(getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(dir);
    }
    ~TempDir() { std::filesystem::remove_all(dir); }
    std::string path(const char* name) const { return (dir / name).string(); }
    std::filesystem::path dir;
};

cache::EntryRef make_entry(cache::Store& store, std::string_view key, std::string_view body,
                           Seconds stored_at, Seconds lifetime, Seconds keep_until) {
    cache::Entry::Spec spec;
    spec.key = key;
    spec.hash = cache::hash_key(key);
    spec.head = "HTTP/1.1 200 OK\r\nSurrogate-Key: t1\r\n";
    spec.body_size = body.size();
    spec.freshness = {stored_at, 3, lifetime, keep_until};
    spec.stale = {10, 20, false, true};
    auto entry = cache::Entry::create(spec, store.shared_heads());
    body.copy(entry->body_data(), body.size());
    return entry;
}

}  // namespace

TEST_CASE("persist: a saved store loads back with its heads, bodies, times and rules") {
    TempDir dir;
    const Seconds now = 1'800'000'000;
    cache::Store first({.budget_bytes = 64u << 20, .shard_count = 8});
    for (int i = 0; i < 100; ++i) {
        const std::string key = "GET\x1fh\x1f/" + std::to_string(i);
        REQUIRE(first.insert(
            make_entry(first, key, "body" + std::to_string(i), now - 5, 60, now + 100), now));
    }
    const auto saved = persist::save_store(first, dir.path("s"), false);
    REQUIRE_FALSE(saved.error);
    CHECK(saved.entries == 100);
    cache::Store second({.budget_bytes = 64u << 20, .shard_count = 8});
    const auto loaded = persist::load_store(second, dir.path("s"), now + 10, true);
    CHECK_FALSE(loaded.error);
    CHECK(loaded.loaded == 100);
    for (int i = 0; i < 100; ++i) {
        const std::string key = "GET\x1fh\x1f/" + std::to_string(i);
        auto entry = second.lookup(key, cache::hash_key(key), now + 10);
        REQUIRE(entry);
        CHECK(entry->body() == "body" + std::to_string(i));
        CHECK(entry->age(now + 10) == 3 + 15);  // initial age + time since it was stored
        CHECK(entry->stale_rules().while_revalidate == 10);
        CHECK(entry->stale_rules().if_error == 20);
        CHECK(entry->stale_rules().has_validators);
        CHECK(entry->head().text() == "HTTP/1.1 200 OK\r\nSurrogate-Key: t1\r\n");
    }
    // Its tags were indexed again: a purge by tag finds them.
    cache::PurgeMatch match;
    match.by = cache::PurgeBy::tag;
    match.tag = "t1";
    CHECK(second.purge(match, now + 10) == 100);
}

TEST_CASE("persist: entries past the time the store may keep them are not loaded") {
    TempDir dir;
    const Seconds now = 1'800'000'000;
    cache::Store first({.budget_bytes = 64u << 20, .shard_count = 8});
    REQUIRE(first.insert(make_entry(first, "old", "x", now - 100, 10, now + 5), now));
    REQUIRE(first.insert(make_entry(first, "new", "y", now - 1, 600, now + 700), now));
    REQUIRE_FALSE(persist::save_store(first, dir.path("s"), false).error);
    cache::Store second({.budget_bytes = 64u << 20, .shard_count = 8});
    const auto loaded = persist::load_store(second, dir.path("s"), now + 10, true);
    CHECK(loaded.loaded == 1);
    CHECK(loaded.expired == 1);
    CHECK_FALSE(second.lookup("old", cache::hash_key("old"), now + 10));
    CHECK(second.lookup("new", cache::hash_key("new"), now + 10));
}

TEST_CASE("persist: a missing file is a first start, not an error") {
    TempDir dir;
    cache::Store store({});
    const auto loaded = persist::load_store(store, dir.path("none"), 0, true);
    CHECK(loaded.missing);
    CHECK_FALSE(loaded.error);
    CHECK(loaded.loaded == 0);
}

TEST_CASE("persist: a save into a directory that does not exist fails and says where") {
    cache::Store store({});
    const auto saved = persist::save_store(store, "/nonexistent-cachet-dir/s", false);
    REQUIRE(saved.error);
    CHECK(saved.error->find("/nonexistent-cachet-dir") != std::string::npos);
}
