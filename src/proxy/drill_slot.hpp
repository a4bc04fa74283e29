#pragma once
// One origin's drill as the process shares it: the admin thread is the only writer (start,
// replace, end), every worker reads it on each origin request. A sequence lock of plain
// atomics, no mutex and no shared_ptr (std::atomic<std::shared_ptr> takes a lock on gcc 12):
//   - version_ is odd while the admin thread writes. It bumps version_ (relaxed), stores
//     every field with release, and bumps version_ again with release.
//   - a reader loads version_ (acquire), every field (acquire), then version_ again: the
//     same even value means no write overlapped, as a field stored by a write carries the
//     write's first bump with it (release/acquire), so the second load would see it.
//   - idle() is one relaxed load of kind_: what a request pays when no drill runs.
// A request that meets a write in progress (a few stores, rare) goes undrilled rather than
// wait. requests_ numbers the requests of the running drill for its rate; a request racing
// a replacement may take its number from either drill.
#include <atomic>
#include <cstdint>

#include "proxy/drill.hpp"

namespace cachet::proxy {

class alignas(64) DrillSlot {
public:
    // --- workers ---
    bool idle() const noexcept { return kind_.load(std::memory_order_relaxed) == DrillKind::none; }
    // The action for the next request of this origin at `now` (loop clock).
    DrillAction next_action(Millis now) noexcept;

    // --- the admin thread (the writer; reads of its own writes need no retry) ---
    // A consistent copy; kind none when nothing runs or a write was in progress.
    Drill read() const noexcept;
    void publish(const Drill& drill) noexcept;  // restarts the request numbering
    void clear() noexcept { publish(Drill{}); }

private:
    std::atomic<std::uint32_t> version_{0};
    std::atomic<DrillKind> kind_{DrillKind::none};
    std::atomic<std::uint16_t> origin_{0};
    std::atomic<std::uint16_t> status_{0};
    std::atomic<std::uint32_t> rate_ppm_{kRateScale};
    std::atomic<std::uint64_t> id_{0};
    std::atomic<Millis> ends_at_{0};
    std::atomic<Millis> latency_{0};
    std::atomic<std::uint64_t> cut_after_{0};
    std::atomic<std::uint64_t> requests_{0};  // of the running drill, by every worker
};

}  // namespace cachet::proxy
