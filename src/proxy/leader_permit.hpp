#pragma once
// The origin side's claim on a fill: whoever holds the permit feeds the fill, and the permit
// is the only way a fill leaves the in-flight table. Exactly one permit exists per fetch:
// InflightTable::join hands it to the leader; a fetch that is not coalesced (alone, a Range,
// a pass-through) holds an `unshared` one. It moves with the fetch (into OriginPool::start,
// the OriginConnection, a retry on a fresh connection) and never copies.
//
// Invariants:
// - complete() and fail() end the permit: the fill is finished and out of the table, and
//   the permit is empty. withdraw() takes the fill out of the table (no new miss joins it)
//   and keeps feeding it.
// - A permit that is destroyed (or assigned over) while it still holds a fill fails the
//   fill (Errc::fetch_abandoned) and takes it out of the table, so whatever ends a fetch
//   early (an error, a timeout, a client gone, a shutdown, a bug) frees its waiters at once
//   instead of leaving them to their coalesce timers. Fill::fail is idempotent, so a fill
//   that already failed or completed is left as it is.
// - All of it runs on the fill's origin worker's thread.
#include <utility>

#include "cache/entry.hpp"
#include "proxy/fill.hpp"
#include "util/errc.hpp"

namespace cachet::proxy {

class InflightTable;

class LeaderPermit {
public:
    LeaderPermit() noexcept = default;  // empty: holds no fill (a waiter's, or a used one)
    // A permit for a fill that is not in the in-flight table (a lone, uncoalesced fetch).
    static LeaderPermit unshared(FillRef fill) noexcept {
        return LeaderPermit(std::move(fill), nullptr);
    }

    // Moves and the checks below are inline: every request to the origin passes its permit
    // along four calls (dispatch, ResponseStream, OriginPool, OriginConnection).
    LeaderPermit(LeaderPermit&& other) noexcept
        : fill_(std::move(other.fill_)), table_(std::exchange(other.table_, nullptr)) {}
    LeaderPermit& operator=(LeaderPermit&& other) noexcept {
        if (this != &other) {
            abandon();                // leaves fill_ empty
            fill_.swap(other.fill_);  // no count change, no release to check
            table_ = std::exchange(other.table_, nullptr);
        }
        return *this;
    }
    LeaderPermit(const LeaderPermit&) = delete;
    LeaderPermit& operator=(const LeaderPermit&) = delete;
    ~LeaderPermit() { abandon(); }

    explicit operator bool() const noexcept { return static_cast<bool>(fill_); }
    const FillRef& fill() const noexcept { return fill_; }
    Fill* operator->() const noexcept { return fill_.get(); }
    // Still registered in the in-flight table: new misses for the key join this fill.
    bool in_table() const noexcept { return table_ != nullptr; }

    // Leaves the table now and keeps the fill (a head that will not be stored, a body past
    // the object limit: the caller releases the waiters with publish_head / refuse_storage).
    void withdraw() noexcept {
        if (table_) leave_table();
    }
    // Fill::complete, then leaves the table. The entry, when there is one, must already be
    // in the store, so a new miss finds either the fill or the entry. Ends the permit.
    void complete(cache::EntryRef entry) {
        fill_->complete(std::move(entry));
        withdraw();
        fill_.reset();
    }
    // Fill::fail(error), then leaves the table. Ends the permit.
    void fail(Errc error) noexcept;

private:
    friend class InflightTable;  // makes the permits of the fills it registers
    LeaderPermit(FillRef fill, InflightTable* table) noexcept
        : fill_(std::move(fill)), table_(table) {}
    void leave_table() noexcept;
    void abandon() noexcept {
        if (fill_) fail(Errc::fetch_abandoned);
    }

    FillRef fill_;
    InflightTable* table_ = nullptr;  // borrowed, outlives every fetch; null once left
};

}  // namespace cachet::proxy
