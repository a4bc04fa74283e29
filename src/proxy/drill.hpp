#pragma once
// A drill: for a bounded time, one origin looks broken to cachet (POST /drills, README "Drills").
// This file is the drill as plain data and the per-request decision, a pure function: given
// the drill, the loop clock and the request's number in the drill, what the origin side does
// instead of (or on top of) its usual exchange. The shared state the admin thread writes and
// workers read is proxy/drill_slot.hpp; the I/O that carries an action out is
// origin_drill.cpp.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace cachet::proxy {

enum class DrillKind : std::uint8_t {
    none,
    down,   // every connect is refused (no socket opened)
    slow,   // the response head is held back by a latency
    error,  // a status answered in the origin's stead
    reset,  // the response is cut after part of its body
};
inline constexpr std::size_t kDrillKindCount = 4;  // down .. reset: counter and label slots

constexpr std::string_view name(DrillKind kind) noexcept {
    switch (kind) {
    case DrillKind::none: return "none";
    case DrillKind::down: return "down";
    case DrillKind::slow: return "slow";
    case DrillKind::error: return "error";
    case DrillKind::reset: return "reset";
    }
    return "none";
}
// down .. reset -> 0 .. kDrillKindCount - 1 (none is no slot).
constexpr std::size_t slot_of(DrillKind kind) noexcept {
    return static_cast<std::size_t>(kind) - 1;
}
constexpr DrillKind kind_at(std::size_t slot) noexcept { return static_cast<DrillKind>(slot + 1); }
std::optional<DrillKind> parse_drill_kind(std::string_view text) noexcept;

// Of the origin's requests, the share a drill affects: parts per million (rate 1.0 = all).
inline constexpr std::uint32_t kRateScale = 1'000'000;

struct Drill {
    DrillKind kind = DrillKind::none;
    std::uint16_t origin = 0;  // index in Config::origins
    std::uint16_t status = 0;  // error: the status answered
    std::uint32_t rate_ppm = kRateScale;
    std::uint64_t id = 0;         // given when it starts, unique in the process
    Millis ends_at = 0;           // the loop clock (uv_now) at which it ends by itself
    Millis latency = 0;           // slow: ms added before the response head
    std::uint64_t cut_after = 0;  // reset: body bytes that pass before the cut
};

// Whether the drill acts at `now`: it has a kind and its deadline has not come.
constexpr bool running(const Drill& drill, Millis now) noexcept {
    return drill.kind != DrillKind::none && now < drill.ends_at;
}

// What the origin side does for one request. `amount` is the action's figure: ms for
// delay, the status for answer, body bytes for cut_after.
enum class DrillActionKind : std::uint8_t { none, refuse, delay, answer, cut_after };
struct DrillAction {
    DrillActionKind kind = DrillActionKind::none;
    std::uint64_t amount = 0;

    bool operator==(const DrillAction&) const = default;
};

// The kind of drill an action comes from (for its counter): refuse -> down, ...
DrillKind kind_of(DrillActionKind action) noexcept;
// refuse and answer never open a socket: they need a fresh connection that stays unconnected.
constexpr bool opens_no_socket(const DrillAction& action) noexcept {
    return action.kind == DrillActionKind::refuse || action.kind == DrillActionKind::answer;
}

// Whether the request numbered `n` (0, 1, 2, ... since the drill started) is one of the
// `rate_ppm` share it affects. Deterministic and evenly spread: the first request is, and
// rate 0.25 is exactly requests 0, 4, 8, ...
bool affects(std::uint32_t rate_ppm, std::uint64_t n) noexcept;

// The action for request `n` of the drill at `now`: none once the deadline has come (a drill
// ends by itself) and for the requests the rate leaves out.
DrillAction decide(const Drill& drill, Millis now, std::uint64_t n) noexcept;

// The response an `error` drill answers in the origin's place: a complete HTTP/1.1 response
// with a one-line text body and Connection: close (its connection never had a socket).
std::string drill_response(std::uint16_t status, std::string_view origin_name);

}  // namespace cachet::proxy
