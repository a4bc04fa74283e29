#pragma once
// How long a replayed answer waits before it is written (--replay-latency, a route's
// replay_latency): none, the origin's recorded latency, a fixed delay, a uniform range, or a
// distribution given by a few percentiles. A pure function of the model, the seed, the key
// and how many times that key was answered before: the same seed and the same request
// sequence give the same delays on every run and on every worker, whichever worker answers.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"
#include "util/time.hpp"

namespace cachet::replay {

enum class LatencyKind : std::uint8_t {
    none,         // "none": answered at once
    recorded,     // "recorded": the latency the origin had when the exchange was recorded
    fixed,        // "fixed:50ms"
    uniform,      // "uniform:20ms..80ms": any delay in the range, equally likely
    percentiles,  // "percentiles:p50=5ms,p99=100ms": the quantile function through them
};

// One point of a distribution: `fraction` of the delays are at most `ms`.
struct Quantile {
    double fraction = 0;  // (0, 1]
    Millis ms = 0;
};

struct LatencyModel {
    LatencyKind kind = LatencyKind::none;
    Millis low = 0;  // fixed: the delay; uniform: the range's bounds
    Millis high = 0;
    std::vector<Quantile> quantiles;  // percentiles: increasing in fraction and in ms
    std::string text = "none";        // as written, for --print-config

    bool delays() const noexcept { return kind != LatencyKind::none; }
};

// The model a spec names, or what was expected (one line, for a config error to prefix).
tl::expected<LatencyModel, std::string> parse_latency(std::string_view spec);

// A fraction in [0, 1), the same for the same three inputs (a hash, not a generator with
// state: requests answered on different workers draw from no shared sequence).
double uniform_draw(std::uint64_t seed, std::uint64_t key_hash, std::uint64_t occurrence) noexcept;

// The delay of one answer in microseconds, scaled by `scale` (--replay-latency-scale).
// `occurrence`: how many answers this key had before this one (0 for the first);
// `recorded_us`: the answer's recorded latency.
std::uint64_t latency_us(const LatencyModel& model, double scale, std::uint64_t seed,
                         std::uint64_t key_hash, std::uint64_t occurrence,
                         std::uint32_t recorded_us) noexcept;

}  // namespace cachet::replay
