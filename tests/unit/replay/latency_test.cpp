#include "replay/latency.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace cachet;
using namespace cachet::replay;

namespace {

LatencyModel model(std::string_view spec) {
    auto parsed = parse_latency(spec);
    REQUIRE_MESSAGE(parsed, parsed.error());
    return *parsed;
}

std::string error_of(std::string_view spec) {
    auto parsed = parse_latency(spec);
    return parsed ? std::string("(parsed)") : parsed.error();
}

}  // namespace

TEST_CASE("latency: every model parses, and keeps its text") {
    CHECK(model("none").kind == LatencyKind::none);
    CHECK_FALSE(model("none").delays());
    CHECK(model("recorded").kind == LatencyKind::recorded);
    const LatencyModel fixed = model("fixed:50ms");
    CHECK(fixed.kind == LatencyKind::fixed);
    CHECK(fixed.low == 50);
    CHECK(fixed.text == "fixed:50ms");
    const LatencyModel uniform = model("uniform:20ms..80ms");
    CHECK(uniform.low == 20);
    CHECK(uniform.high == 80);
    const LatencyModel percentiles = model("percentiles:p50=5ms,p99=100ms,p99.9=1s");
    REQUIRE(percentiles.quantiles.size() == 3);
    CHECK(percentiles.quantiles[2].fraction == doctest::Approx(0.999));
    CHECK(percentiles.quantiles[2].ms == 1000);
}

TEST_CASE("latency: a bad spec says what was expected and what is wrong") {
    CHECK(error_of("slow").find("fixed:50ms") != std::string::npos);
    CHECK(error_of("fixed:fast").find("\"fast\" is not a duration") != std::string::npos);
    CHECK(error_of("uniform:5ms").find("low..high") != std::string::npos);
    CHECK(error_of("uniform:80ms..20ms").find("above its high end") != std::string::npos);
    CHECK(error_of("percentiles:").find("no percentiles") != std::string::npos);
    CHECK(error_of("percentiles:p99=1ms,p50=5ms").find("must rise") != std::string::npos);
    CHECK(error_of("percentiles:p50=5ms,p99=1ms").find("never fall") != std::string::npos);
    CHECK(error_of("percentiles:p0=5ms").find("p99=100ms") != std::string::npos);
    CHECK(error_of("percentiles:p101=5ms").find("p99=100ms") != std::string::npos);
}

TEST_CASE("latency: none, recorded and fixed, scaled") {
    CHECK(latency_us(model("none"), 1.0, 0, 1, 0, 7000) == 0);
    CHECK(latency_us(model("recorded"), 1.0, 0, 1, 0, 7000) == 7000);
    CHECK(latency_us(model("recorded"), 2.0, 0, 1, 0, 7000) == 14000);
    CHECK(latency_us(model("fixed:50ms"), 1.0, 0, 1, 0, 7000) == 50000);
    CHECK(latency_us(model("fixed:50ms"), 0.5, 0, 1, 3, 7000) == 25000);
    CHECK(latency_us(model("fixed:50ms"), 0.0, 0, 1, 3, 7000) == 0);
}

TEST_CASE("latency: a draw is the same for the same seed, key and occurrence, and only then") {
    CHECK(uniform_draw(1, 2, 3) == uniform_draw(1, 2, 3));
    CHECK(uniform_draw(1, 2, 3) != uniform_draw(2, 2, 3));
    CHECK(uniform_draw(1, 2, 3) != uniform_draw(1, 3, 3));
    CHECK(uniform_draw(1, 2, 3) != uniform_draw(1, 2, 4));
    for (std::uint64_t i = 0; i < 1000; ++i) {
        const double u = uniform_draw(9, i, i * 7);
        CHECK(u >= 0.0);
        CHECK(u < 1.0);
    }
}

TEST_CASE("latency: uniform draws cover their range evenly") {
    const LatencyModel uniform = model("uniform:20ms..80ms");
    std::vector<int> buckets(6, 0);
    constexpr int kDraws = 60'000;
    for (int i = 0; i < kDraws; ++i) {
        const std::uint64_t us =
            latency_us(uniform, 1.0, 42, 0xabc, static_cast<std::uint64_t>(i), 0);
        REQUIRE(us >= 20'000);
        REQUIRE(us <= 80'000);
        ++buckets[std::min<std::size_t>(5, (us - 20'000) / 10'000)];
    }
    for (int count : buckets) CHECK(count == doctest::Approx(kDraws / 6).epsilon(0.05));
}

TEST_CASE("latency: percentiles give the distribution they name") {
    const LatencyModel p = model("percentiles:p50=5ms,p99=100ms");
    std::vector<std::uint64_t> draws;
    for (int i = 0; i < 100'000; ++i)
        draws.push_back(latency_us(p, 1.0, 3, 77, static_cast<std::uint64_t>(i), 0));
    std::sort(draws.begin(), draws.end());
    CHECK(draws.front() == 5000);  // flat below the first point
    // Half of the draws at the median's delay (the flat end below p50), none below it.
    const auto at_median = std::count(draws.begin(), draws.end(), 5000);
    CHECK(static_cast<double>(at_median) / 100'000 == doctest::Approx(0.5).epsilon(0.02));
    CHECK(draws[99'000] == doctest::Approx(100'000).epsilon(0.02));
    CHECK(draws.back() == 100'000);  // and above the last
    // Between two points, linear: p75 lies halfway in fraction, so about a half of the way.
    const double p75 = static_cast<double>(draws[75'000]);
    CHECK(p75 == doctest::Approx(5000 + (100'000 - 5000) * (0.25 / 0.49)).epsilon(0.03));
}
