#pragma once
// What a replay answers from: every recorded answer of a snapshot, by key, built once before
// the workers start and only read after (no lock on a lookup). Each answer is a sealed
// cache::Entry, so a replayed answer is written by the hit path itself, zero copy.
//
// A key may have several answers (the origin said different things to the same request):
// they are given in the order recorded, then from the first again (cycle) or the last one
// from then on (last). The count of answers given so far is one atomic per key, shared by
// the workers, so the n-th request for a key gets the same answer whichever worker takes
// it. It is written only when it matters: a key with several answers, or a latency drawn
// per answer; a key with one answer and a fixed delay is read-only, like a hit.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cache/entry.hpp"
#include "cachet/config.hpp"
#include "snapshot/record.hpp"

namespace cachet::replay {

struct ReplayAnswer {
    const cache::EntryRef* entry = nullptr;  // owned by the table, which outlives workers
    std::uint32_t latency_us = 0;            // recorded with it
    std::uint64_t occurrence = 0;            // answers the key gave before this one
};

class ReplayTable {
public:
    ReplayTable(const ReplayTable&) = delete;
    ReplayTable& operator=(const ReplayTable&) = delete;

    // `without_date`: the answers' heads leave out their Date (--replay-date now: the
    // connection writes the time of each answer instead).
    explicit ReplayTable(bool without_date = false) : without_date_(without_date) {}

    // Loading, before any worker runs. An exchange record becomes an answer of its key,
    // after the key's earlier ones; entry records (a persisted store) are answers too.
    void add(const snapshot::RecordView& record);
    // Loading is done: the index of keys for nearest() is built.
    void seal();

    // The next answer for the key, or none. `counted`: advance the key's count even when
    // it has one answer (its latency is drawn per answer).
    std::optional<ReplayAnswer> answer(std::string_view key, std::uint64_t hash, ReplayOrder order,
                                       bool counted) const noexcept;

    // Up to `limit` recorded keys nearest to `key` (longest shared prefix first): what a
    // request with no answer may have meant. Allocates: the miss path only.
    std::vector<std::string_view> nearest(std::string_view key, std::size_t limit) const;

    std::size_t key_count() const noexcept { return keys_.size(); }
    std::size_t answer_count() const noexcept { return answers_; }
    std::uint64_t body_bytes() const noexcept { return body_bytes_; }

private:
    struct Answers {
        std::vector<cache::EntryRef> entries;
        std::vector<std::uint32_t> latency_us;
        mutable std::atomic<std::uint64_t> given{0};
    };
    struct Slot {
        std::uint64_t hash = 0;
        Answers* answers = nullptr;  // null: empty slot
    };
    Answers* find(std::string_view key, std::uint64_t hash) const noexcept;
    void insert_slot(std::uint64_t hash, Answers* answers);
    void grow();

    std::vector<std::unique_ptr<Answers>> keys_;  // in the order first recorded
    std::vector<Slot> slots_;                     // open addressing, a power of two
    std::vector<std::string_view> sorted_keys_;   // for nearest(): views into the entries
    bool without_date_ = false;
    std::size_t answers_ = 0;
    std::uint64_t body_bytes_ = 0;
};

// A key as a reader should see it: its separators as spaces ("POST api.example.com/v1/q
// body:3f2a..."), other control bytes as \xNN.
std::string printable_key(std::string_view key);

// The entry a replay serves for a record: its head and body as recorded, always fresh and
// with the Age it was recorded with (its response time is the end of time, so no time
// passes for it; cache/entry.hpp saturates it).
cache::EntryRef replay_entry(const snapshot::RecordView& record, bool without_date = false);

// The head without its Date line(s).
std::string without_date_lines(std::string_view head);

}  // namespace cachet::replay
