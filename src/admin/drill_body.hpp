#pragma once
// The body of POST /drills, a JSON object:
//   {"origin": "default", "kind": "down|slow|error|reset", "duration": "30s",
//    "latency": "300ms" (slow), "status": 503 (error), "cut_after": 1 (reset),
//    "rate": 1.0}
// origin, kind and duration are required (duration at most 1h); latency is required with
// slow (at most 10m); status (400..599, default 503), cut_after (body bytes that pass, default
// 1) and rate (0..1 of the origin's requests, default 1) are optional. A field that does not
// belong to the kind is refused, as is any other field. And the JSON that describes drills
// (POST's answer, GET /drills, /stats). Pure: parsed with simdjson, no clock, no I/O.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cachet/config.hpp"
#include "proxy/drill.hpp"
#include "util/result.hpp"

namespace cachet::admin {

inline constexpr Millis kMaxDrillDuration = 60 * 60 * 1000;  // 1h
inline constexpr Millis kMaxDrillLatency = 10 * 60 * 1000;   // 10m
inline constexpr std::uint64_t kDefaultCutAfter = 1;         // bytes
inline constexpr std::uint16_t kDefaultDrillStatus = 503;

// A drill as asked for: everything but its id and deadline, and how long it runs.
struct DrillOrder {
    proxy::Drill drill;  // id 0, ends_at 0
    Millis duration = 0;
};

// The order, or a one-line reason naming the field (for a 400). `origins`: the running
// origins, by index (Config::origins), which the body names.
tl::expected<DrillOrder, std::string> parse_drill_body(std::string_view json,
                                                       std::span<const Origin> origins);

// {"id":1,"origin":"default","kind":"slow","ends_in_ms":29998,"rate":1,"latency_ms":300}:
// the kind's own figure (latency_ms, status or cut_after) after the common ones. `now` is
// the loop clock the deadline is on.
std::string drill_json(const proxy::Drill& drill, std::string_view origin_name, Millis now);

}  // namespace cachet::admin
