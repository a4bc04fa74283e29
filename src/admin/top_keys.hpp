#pragma once
// The most-hit keys, for /stats' top_keys and the dashboard, estimated cheaply on each
// worker's own thread:
// - Sampling: a hit asks TopKeys::sample(), a countdown (one decrement and a test on the hit
//   path); about one hit in kTopKeySampleEvery is recorded, the next countdown drawn at
//   random between 1 and 2 * kTopKeySampleEvery - 1 so that no periodic request pattern is
//   always, or never, sampled.
// - Counting: a space-saving table (Metwally et al., 2005) of kTopKeySlots fixed slots, each
//   a key's hash, its sample count and a bounded copy of its text (no allocation): a key
//   already in the table counts one more; a new key takes the slot of the least counted
//   key, with that count plus one. A key with more than 1/kTopKeySlots of the samples is
//   always in the table, and a count overstates its key's samples by at most the count it
//   took over. Counts run from the process's start.
// - Publishing: the table is the worker's alone (no other thread reads it). Once a second,
//   on its sweep timer, the worker copies it into its PublishedTopKeys under that object's
//   mutex, which the admin thread takes to copy it out: neither lock is on the hit path.
// The admin thread sums the workers' copies by key (merge_top_keys) and scales the counts
// by kTopKeySampleEvery into estimated hits.
#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachet::admin {

inline constexpr std::size_t kTopKeySlots = 32;          // per worker
inline constexpr std::size_t kTopKeyText = 120;          // bytes of a key kept, the rest cut
inline constexpr std::uint32_t kTopKeySampleEvery = 16;  // hits per sample, on average
inline constexpr std::size_t kTopKeysShown = 10;         // in /stats

struct TopKeySlot {
    std::uint64_t hash = 0;                // the key's XXH3 (cache/key.hpp)
    std::uint64_t count = 0;               // samples; 0: a free slot
    std::uint8_t size = 0;                 // bytes of text used
    bool cut = false;                      // the key was longer than kTopKeyText
    std::array<char, kTopKeyText> text{};  // the key past its method: host 0x1F target ...
};
using TopKeyTable = std::array<TopKeySlot, kTopKeySlots>;

// One worker's table: its own thread only.
class TopKeys {
public:
    explicit TopKeys(std::uint64_t seed) noexcept;

    // Once per hit: whether to record this one.
    bool sample() noexcept { return --countdown_ == 0; }
    // Counts a sampled hit of `key` (a primary key as build_key writes it, `hash` its hash)
    // and draws the next countdown.
    void record(std::string_view key, std::uint64_t hash) noexcept;

    const TopKeyTable& table() const noexcept { return table_; }
    // Whether a sample was recorded since the last call.
    bool take_changed() noexcept { return std::exchange(changed_, false); }

private:
    std::uint32_t next_countdown() noexcept;

    TopKeyTable table_{};
    std::uint64_t random_;
    std::uint32_t countdown_;
    bool changed_ = false;
};

// A worker's table as the admin thread may read it: written by the worker, read by the
// admin thread, each under the mutex.
class PublishedTopKeys {
public:
    void publish(TopKeys& keys);  // the worker's thread: copies the table when it changed
    TopKeyTable read() const;     // any thread

private:
    mutable std::mutex mutex_;
    TopKeyTable table_{};  // guarded by mutex_
};

struct TopKey {
    std::string key;  // as shown: key_text()
    std::uint64_t hits = 0;
};

// The `n` keys with the most estimated hits over every table (counts of one key summed
// across workers, times kTopKeySampleEvery), most first, ties by key.
std::vector<TopKey> merge_top_keys(std::span<const TopKeyTable> tables, std::size_t n);

// How a key is shown: its host and target ("shop.example/p?id=1"), any further key parts
// (a route's keyed fields and cookies) after spaces, control bytes as spaces, "..." when cut.
std::string key_text(std::string_view stored, bool cut);

}  // namespace cachet::admin
