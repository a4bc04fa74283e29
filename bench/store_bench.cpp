// Store micro-benchmark: lookups and inserts per second by thread count and mix, the
// memory each entry costs beyond its body, and purges by prefix and by tag among a million
// entries (cache/purge.hpp): how long each takes and what its indexes cost per entry.
//
//   meson setup build-store-rel -Dbuildtype=release
//   ninja -C build-store-rel bench/cachet-store-bench
//   ./build-store-rel/bench/cachet-store-bench [--seconds 1] [--threads 1,2] [--entries 1000000]
//       [--purge-entries 1000000]
//
// Keys are built and hashed beforehand: this measures the store (shard lock, table, LRU,
// reference count, and for inserts the entry's allocation), not build_key.
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

#include "cache/entry.hpp"
#include "cache/key.hpp"
#include "cache/purge.hpp"
#include "cache/store.hpp"

using namespace cachet;
using namespace cachet::cache;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t body_bytes = 1024;
constexpr Seconds now = 1'700'000'000;

struct Options {
    double seconds = 1.0;
    std::vector<int> threads{1, 2};
    std::size_t overhead_entries = 1'000'000;
    std::size_t purge_entries = 1'000'000;
};

// One cache line per key, hash beside it: in the proxy the key was just built in the
// connection's buffer and is hot, so the bench should not pay misses the proxy does not.
struct alignas(64) KeySlot {
    std::uint64_t hash;
    std::uint8_t size;
    char bytes[55];
    std::string_view view() const noexcept { return {bytes, size}; }
};
using Keys = std::vector<KeySlot>;

// About 40 bytes each, like "GET␟cdn.example.com␟/img/00012345.jpg?v=3".
Keys make_keys(std::size_t count) {
    Keys keys(count);
    KeyBuffer buffer;
    char target[64];
    for (std::size_t i = 0; i < count; ++i) {
        std::snprintf(target, sizeof target, "/img/%08zu.jpg?v=3", i);
        auto key = build_key(buffer, http::Method::get, "cdn.example.com", target);
        if (!key || key->size() > sizeof keys[i].bytes) std::abort();
        keys[i].hash = buffer.hash;
        keys[i].size = static_cast<std::uint8_t>(key->size());
        std::memcpy(keys[i].bytes, key->data(), key->size());
    }
    return keys;
}

// About 200 bytes, the shape an origin sends for a static asset. Its status line,
// Content-Type and Cache-Control are shared between entries (cache/head_split.hpp); the
// rest is each entry's own.
constexpr std::string_view head =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: image/jpeg\r\n"
    "Content-Length: 1024\r\n"
    "Cache-Control: public, max-age=3600\r\n"
    "ETag: \"5f3c9a1e-400\"\r\n"
    "Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
    "Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n";

EntryRef make_entry(Store& store, const Keys& keys, std::size_t i) {
    Entry::Spec spec;
    spec.key = keys[i].view();
    spec.hash = keys[i].hash;
    spec.head = head;
    spec.body_size = body_bytes;
    spec.freshness.response_time = now;
    spec.freshness.lifetime = 3600;
    spec.freshness.keep_until = now + 3600;
    EntryRef entry = Entry::create(spec, store.shared_heads());
    std::memset(entry->body_data(), 'b', body_bytes);
    return entry;
}

struct Mix {
    const char* name;
    int insert_percent;     // of operations; the rest are lookups
    std::size_t key_space;  // keys drawn uniformly from [0, key_space)
    std::size_t resident;   // entries the budget holds (and the warm-up inserts)
};

struct Counts {
    std::uint64_t lookups = 0;
    std::uint64_t hits = 0;
    std::uint64_t inserts = 0;
};

std::uint64_t next_random(std::uint64_t& x) {  // xorshift64
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

Counts run_thread(Store& store, const Keys& keys, const Mix& mix, Clock::time_point deadline,
                  std::uint64_t seed) {
    Counts counts;
    std::uint64_t x = seed;
    while (Clock::now() < deadline) {
        for (int batch = 0; batch < 256; ++batch) {  // read the clock once per batch
            std::uint64_t r = next_random(x);
            std::size_t i = (r >> 8) % mix.key_space;
            if (static_cast<int>(r % 100) < mix.insert_percent) {
                store.insert(make_entry(store, keys, i), now);
                ++counts.inserts;
            } else {
                EntryRef entry = store.lookup(keys[i].view(), keys[i].hash, now);
                ++counts.lookups;
                counts.hits += entry ? 1 : 0;
            }
        }
    }
    return counts;
}

void run_case(const Options& options, const Keys& keys, const Mix& mix, int threads) {
    Store probe({.budget_bytes = std::size_t{1} << 20, .shard_count = 1});
    std::size_t charge = make_entry(probe, keys, 0)->charge();
    Store store({.budget_bytes = mix.resident * charge, .shard_count = 64});
    for (std::size_t i = 0; i < mix.resident; ++i) store.insert(make_entry(store, keys, i), now);

    auto start = Clock::now();
    auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(options.seconds));
    std::vector<Counts> counts(static_cast<std::size_t>(threads));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            counts[static_cast<std::size_t>(t)] =
                run_thread(store, keys, mix, deadline, 0x9e3779b97f4a7c15ull * (t + 1));
        });
    }
    for (std::thread& worker : workers) worker.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    Counts total;
    for (const Counts& c : counts) {
        total.lookups += c.lookups;
        total.hits += c.hits;
        total.inserts += c.inserts;
    }
    double ops = static_cast<double>(total.lookups + total.inserts) / elapsed;
    double hit_rate =
        total.lookups ? 100.0 * static_cast<double>(total.hits) / static_cast<double>(total.lookups)
                      : 0.0;
    std::printf(
        "threads=%d  mix=%-26s ops/s=%6.2fM  lookups/s=%6.2fM  inserts/s=%5.2fM  "
        "hit=%5.1f%%  evictions=%llu\n",
        threads, mix.name, ops / 1e6, static_cast<double>(total.lookups) / elapsed / 1e6,
        static_cast<double>(total.inserts) / elapsed / 1e6, hit_rate,
        static_cast<unsigned long long>(store.stats().evictions));
}

std::size_t resident_bytes() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int read = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    return read == 2 ? resident * 4096 : 0;
}

// What each entry costs beyond its body, and where it goes.
void report_overhead(std::size_t entries) {
    Keys keys = make_keys(entries);
    std::size_t key_bytes = 0;
    for (const KeySlot& k : keys) key_bytes += k.size;

    std::size_t rss_before = resident_bytes();
    Store store({.budget_bytes = std::size_t{64} << 30, .shard_count = 64});
    std::size_t own_head_bytes = 0;
    for (std::size_t i = 0; i < entries; ++i) {
        EntryRef entry = make_entry(store, keys, i);
        own_head_bytes += entry->head().own.size();
        store.insert(std::move(entry), now);
    }
    std::size_t rss_after = resident_bytes();
    StoreStats stats = store.stats();

    auto n = static_cast<double>(stats.entries);
    double key_avg = static_cast<double>(key_bytes) / static_cast<double>(entries);
    double own_avg = static_cast<double>(own_head_bytes) / n;
    double small_asked = static_cast<double>(sizeof(Entry)) + key_avg + own_avg;
    double charged = static_cast<double>(stats.bytes) / n;  // small block + body block
    double small_class = charged - static_cast<double>(body_bytes);
    double shared = static_cast<double>(stats.shared_head_bytes) / n;
    double table = static_cast<double>(stats.table_bytes) / n;
    double index = static_cast<double>(stats.index_bytes) / n;
    std::printf(
        "memory: %zu entries, body %zu B, key %.1f B, head %zu B (%.1f B of it the entry's own)\n",
        stats.entries, body_bytes, key_avg, head.size(), own_avg);
    std::printf("  beyond body, all told:  %6.1f B/entry\n", small_class + shared + table + index);
    std::printf(
        "    entry block:          %6.1f B  (size class for %.1f B: header %zu + key + own head)\n",
        small_class, small_asked, sizeof(Entry));
    std::printf("    shared head blocks:   %6.1f B  (%zu blocks, %zu B)\n", shared,
                stats.shared_head_blocks, stats.shared_head_bytes);
    std::printf("    hash table slot:      %6.1f B  (%zu B of buckets, not charged)\n", table,
                stats.table_bytes);
    std::printf("    purge index (by path): %5.1f B  (%zu B, not charged)\n", index,
                stats.index_bytes);
    std::printf("  RSS growth:             %6.1f B/entry (%.1f beyond the body)\n",
                static_cast<double>(rss_after - rss_before) / n,
                static_cast<double>(rss_after - rss_before) / n - static_cast<double>(body_bytes));
}

// Purges among `entries` entries of one host, each tagged "g<i/1000> h<i/100000>" in
// Surrogate-Key: a prefix or a tag matches 1,000 entries, or 100,000. Small bodies: the
// purge's cost is the index's and the unlinking, not the bodies' memory.
void report_purge(std::size_t entries) {
    Store store({.budget_bytes = std::size_t{64} << 30, .shard_count = 64});
    char target[64];
    char tagged_head[512];
    KeyBuffer buffer;
    std::size_t tagged_bytes = 0;
    for (std::size_t i = 0; i < entries; ++i) {
        std::snprintf(target, sizeof target, "/img/%08zu.jpg?v=3", i);
        auto key = build_key(buffer, http::Method::get, "cdn.example.com", target);
        if (!key) std::abort();
        int n = std::snprintf(tagged_head, sizeof tagged_head, "%.*sSurrogate-Key: g%zu h%zu\r\n",
                              static_cast<int>(head.size()), head.data(), i / 1000, i / 100000);
        Entry::Spec spec;
        spec.key = *key;
        spec.hash = buffer.hash;
        spec.head = std::string_view(tagged_head, static_cast<std::size_t>(n));
        spec.body_size = 16;
        spec.freshness = {now, 0, 3600, now + 3600};
        EntryRef entry = Entry::create(spec, store.shared_heads());
        std::memset(entry->body_data(), 'b', 16);
        store.insert(std::move(entry), now);
    }
    StoreStats stats = store.stats();
    tagged_bytes = stats.index_bytes;
    std::printf("\npurge: %zu entries, 2 tags each (1,000 and 100,000 entries per tag)\n",
                stats.entries);
    std::printf("  index: %.1f B/entry (path index and tags; not charged to the budget)\n",
                static_cast<double>(tagged_bytes) / static_cast<double>(stats.entries));

    struct Case {
        const char* name;
        PurgeRequest request;
    };
    const Case cases[] = {
        {"url, one entry",
         {.by = PurgeBy::url, .url = "http://cdn.example.com/img/00000007.jpg?v=3"}},
        {"prefix, host given, 1,000",
         {.by = PurgeBy::prefix, .host = "cdn.example.com", .path = "/img/00001"}},
        {"prefix, any host, 1,000", {.by = PurgeBy::prefix, .path = "/img/00002"}},
        {"tag, 1,000", {.by = PurgeBy::tag, .tag = "g5"}},
        {"soft prefix, 1,000", {.by = PurgeBy::prefix, .path = "/img/00003", .soft = true}},
        {"soft tag, 1,000", {.by = PurgeBy::tag, .tag = "g9", .soft = true}},
        {"prefix, host given, 100,000",
         {.by = PurgeBy::prefix, .host = "cdn.example.com", .path = "/img/002"}},
        {"tag, 100,000", {.by = PurgeBy::tag, .tag = "h5"}},
        {"soft prefix, 100,000", {.by = PurgeBy::prefix, .path = "/img/007", .soft = true}},
        {"soft tag, 100,000", {.by = PurgeBy::tag, .tag = "h8", .soft = true}},
        {"tag, none stored", {.by = PurgeBy::tag, .tag = "absent"}},
    };
    for (const Case& c : cases) {
        auto match = normalise(c.request);
        if (!match) std::abort();
        auto start = Clock::now();
        std::size_t count = store.purge(*match, now + 1);
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        std::printf("  %-30s %7zu entries  %9.3f ms\n", c.name, count, ms);
    }

    // The path index alone, for a store whose responses carry no tags.
    Store untagged({.budget_bytes = std::size_t{64} << 30, .shard_count = 64, .tag_headers = {}});
    for (std::size_t i = 0; i < entries; ++i) {
        std::snprintf(target, sizeof target, "/img/%08zu.jpg?v=3", i);
        auto key = build_key(buffer, http::Method::get, "cdn.example.com", target);
        if (!key) std::abort();
        Entry::Spec spec;
        spec.key = *key;
        spec.hash = buffer.hash;
        spec.head = head;
        spec.freshness = {now, 0, 3600, now + 3600};
        untagged.insert(Entry::create(spec, untagged.shared_heads()), now);
    }
    StoreStats plain = untagged.stats();
    std::printf("  index without tags: %.1f B/entry\n",
                static_cast<double>(plain.index_bytes) / static_cast<double>(plain.entries));
}

std::vector<int> parse_list(std::string_view text) {
    std::vector<int> values;
    while (!text.empty()) {
        int v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || v <= 0) break;
        values.push_back(v);
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (!text.empty() && text.front() == ',') text.remove_prefix(1);
    }
    return values;
}

bool parse_options(int argc, char** argv, Options& options) {
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string_view flag = argv[i];
        std::string_view value = argv[i + 1];
        if (flag == "--seconds") {
            options.seconds = std::atof(argv[i + 1]);
        } else if (flag == "--threads") {
            options.threads = parse_list(value);
        } else if (flag == "--entries") {
            options.overhead_entries = std::strtoull(argv[i + 1], nullptr, 10);
        } else if (flag == "--purge-entries") {
            options.purge_entries = std::strtoull(argv[i + 1], nullptr, 10);
        } else {
            return false;
        }
    }
    return argc % 2 == 1 && options.seconds > 0 && !options.threads.empty() &&
           options.overhead_entries > 0 && options.purge_entries >= 1000;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse_options(argc, argv, options)) {
        std::fprintf(stderr,
                     "usage: %s [--seconds S] [--threads 1,2] [--entries N] [--purge-entries N]\n"
                     "  --seconds  time per case (default 1)\n"
                     "  --threads  thread counts to run (default 1,2)\n"
                     "  --entries  entries for the memory overhead report (default 1000000)\n"
                     "  --purge-entries  entries among which purges are timed (default 1000000)\n",
                     argv[0]);
        return 2;
    }

    const Mix mixes[] = {
        {"hit-100 (100k warm)", 0, 100'000, 100'000},
        {"hit-100 (1k hot, in cache)", 0, 1'000, 1'000},  // the store's CPU cost alone
        {"90/10 lookup/insert", 10, 200'000, 100'000},    // about half the lookups miss
    };
    // First, while the heap is fresh, so that RSS growth is this store's alone.
    report_overhead(options.overhead_entries);
    Keys keys = make_keys(200'000);
    std::printf("\n");
    for (const Mix& mix : mixes) {
        for (int threads : options.threads) run_case(options, keys, mix, threads);
    }
    report_purge(options.purge_entries);
    return 0;
}
