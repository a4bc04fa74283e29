#pragma once
// Every origin's drill slot (proxy/drill_slot.hpp), held by the OriginSet and so shared by
// the workers' pools and the admin thread. At most one drill per origin: a new one replaces
// the one running there. A drill ends by itself at its deadline (each request compares it
// with its loop clock); the admin thread's sweep clears the slot later, to log the end and
// to bring the origin's requests back to one relaxed load. Origins change only on restart
// (server/reload.cpp), so a drill outlives any SIGHUP, its origin with it.
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "proxy/drill_slot.hpp"

namespace cachet::proxy {

class DrillBoard {
public:
    explicit DrillBoard(std::size_t origin_count)
        : slots_(std::make_unique<DrillSlot[]>(origin_count)), count_(origin_count) {}

    // --- workers: idle() is one relaxed load, all an origin request pays without a drill ---
    bool idle(unsigned origin) const noexcept { return slots_[origin].idle(); }
    // The action for the next request of the origin at `now` (its loop clock).
    DrillAction next_action(unsigned origin, Millis now) noexcept {
        return slots_[origin].next_action(now);
    }

    // --- the admin thread only ---
    struct Started {
        Drill drill;                   // with its id
        std::optional<Drill> earlier;  // what the origin's slot held before (running or not)
    };
    Started start(Drill drill) noexcept;
    // Clears the origin's slot; what it held, if anything.
    std::optional<Drill> end(unsigned origin) noexcept;
    // The drills running at `now`, by origin.
    std::vector<Drill> running(Millis now) const;
    // Clears the slots whose drill has reached its deadline; those drills.
    std::vector<Drill> end_expired(Millis now);
    std::size_t origin_count() const noexcept { return count_; }

private:
    std::unique_ptr<DrillSlot[]> slots_;  // by origin index; never moved (atomics)
    std::size_t count_;
    std::uint64_t last_id_ = 0;  // the admin thread's
};

}  // namespace cachet::proxy
