#include "replay/latency.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "config/units.hpp"

namespace cachet::replay {
namespace {

constexpr std::string_view kExpected =
    "none, recorded, fixed:50ms, uniform:20ms..80ms or percentiles:p50=5ms,p99=100ms";

tl::unexpected<std::string> expected(std::string_view detail = {}) {
    std::string text(kExpected);
    if (!detail.empty()) text += "; " + std::string(detail);
    return tl::unexpected(std::move(text));
}

std::optional<Millis> duration_of(std::string_view text) { return config::parse_duration(text); }

// "p99.9=100ms" -> {0.999, 100}.
std::optional<Quantile> parse_quantile(std::string_view item) {
    const std::size_t eq = item.find('=');
    if (item.size() < 2 || item.front() != 'p' || eq == std::string_view::npos) return {};
    const std::string_view number = item.substr(1, eq - 1);
    double percent = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), percent);
    if (ec != std::errc{} || end != number.data() + number.size()) return {};
    if (!(percent > 0 && percent <= 100)) return {};
    auto ms = duration_of(item.substr(eq + 1));
    if (!ms) return {};
    return Quantile{percent / 100, *ms};
}

tl::expected<LatencyModel, std::string> parse_percentiles(std::string_view list) {
    LatencyModel model;
    model.kind = LatencyKind::percentiles;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        auto point = parse_quantile(item);
        if (!point) return expected("\"" + std::string(item) + "\" is not like p99=100ms");
        if (!model.quantiles.empty() && (point->fraction <= model.quantiles.back().fraction ||
                                         point->ms < model.quantiles.back().ms)) {
            return expected("percentiles must rise, and their delays never fall");
        }
        model.quantiles.push_back(*point);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
    if (model.quantiles.empty()) return expected("no percentiles given");
    return model;
}

tl::expected<LatencyModel, std::string> parse_uniform(std::string_view range) {
    const std::size_t dots = range.find("..");
    if (dots == std::string_view::npos) return expected("a range is written low..high");
    auto low = duration_of(range.substr(0, dots));
    auto high = duration_of(range.substr(dots + 2));
    if (!low || !high) return expected("a range of durations, like 20ms..80ms");
    if (*low > *high) return expected("the range's low end is above its high end");
    LatencyModel model;
    model.kind = LatencyKind::uniform;
    model.low = *low;
    model.high = *high;
    return model;
}

LatencyModel model_of(LatencyKind kind, Millis ms) {
    LatencyModel model;
    model.kind = kind;
    model.low = model.high = ms;
    return model;
}

tl::expected<LatencyModel, std::string> parse_kind(std::string_view spec) {
    if (spec == "none") return LatencyModel{};
    if (spec == "recorded") return model_of(LatencyKind::recorded, 0);
    const std::size_t colon = spec.find(':');
    if (colon == std::string_view::npos) return expected();
    const std::string_view kind = spec.substr(0, colon);
    const std::string_view rest = spec.substr(colon + 1);
    if (kind == "fixed") {
        auto ms = duration_of(rest);
        if (!ms) return expected("\"" + std::string(rest) + "\" is not a duration");
        return model_of(LatencyKind::fixed, *ms);
    }
    if (kind == "uniform") return parse_uniform(rest);
    if (kind == "percentiles") return parse_percentiles(rest);
    return expected();
}

// splitmix64's finaliser: every input bit moves every output bit.
std::uint64_t mix(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// The quantile function through the given points: linear between two of them, flat at
// either end (below the first point its delay, above the last its delay), so the model
// never invents a tail it was not given.
double quantile_ms(const std::vector<Quantile>& points, double u) noexcept {
    if (u <= points.front().fraction) return static_cast<double>(points.front().ms);
    for (std::size_t i = 1; i < points.size(); ++i) {
        const Quantile& a = points[i - 1];
        const Quantile& b = points[i];
        if (u <= b.fraction) {
            const double t = (u - a.fraction) / (b.fraction - a.fraction);
            return static_cast<double>(a.ms) + t * static_cast<double>(b.ms - a.ms);
        }
    }
    return static_cast<double>(points.back().ms);
}

}  // namespace

tl::expected<LatencyModel, std::string> parse_latency(std::string_view spec) {
    auto model = parse_kind(spec);
    if (model) model->text = std::string(spec);
    return model;
}

double uniform_draw(std::uint64_t seed, std::uint64_t key_hash, std::uint64_t occurrence) noexcept {
    const std::uint64_t bits = mix(seed ^ mix(key_hash ^ mix(occurrence)));
    return static_cast<double>(bits >> 11) * 0x1.0p-53;  // 53 bits: every double in [0, 1)
}

std::uint64_t latency_us(const LatencyModel& model, double scale, std::uint64_t seed,
                         std::uint64_t key_hash, std::uint64_t occurrence,
                         std::uint32_t recorded_us) noexcept {
    double us = 0;
    switch (model.kind) {
    case LatencyKind::none: return 0;
    case LatencyKind::recorded: us = recorded_us; break;
    case LatencyKind::fixed: us = static_cast<double>(model.low) * 1000; break;
    case LatencyKind::uniform: {
        const double u = uniform_draw(seed, key_hash, occurrence);
        us = (static_cast<double>(model.low) + u * static_cast<double>(model.high - model.low)) *
             1000;
        break;
    }
    case LatencyKind::percentiles:
        us = quantile_ms(model.quantiles, uniform_draw(seed, key_hash, occurrence)) * 1000;
        break;
    }
    const double scaled = us * scale;
    return scaled <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(scaled));
}

}  // namespace cachet::replay
