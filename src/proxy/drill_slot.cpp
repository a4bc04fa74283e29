#include "proxy/drill_slot.hpp"

namespace cachet::proxy {
namespace {

constexpr auto acquire = std::memory_order_acquire;
constexpr auto release = std::memory_order_release;
constexpr auto relaxed = std::memory_order_relaxed;

}  // namespace

Drill DrillSlot::read() const noexcept {
    constexpr int kAttempts = 4;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const std::uint32_t before = version_.load(acquire);
        if (before % 2 != 0) continue;  // being written
        Drill drill;
        drill.kind = kind_.load(acquire);
        drill.origin = origin_.load(acquire);
        drill.status = status_.load(acquire);
        drill.rate_ppm = rate_ppm_.load(acquire);
        drill.id = id_.load(acquire);
        drill.ends_at = ends_at_.load(acquire);
        drill.latency = latency_.load(acquire);
        drill.cut_after = cut_after_.load(acquire);
        if (version_.load(relaxed) == before) return drill;
    }
    return Drill{};
}

DrillAction DrillSlot::next_action(Millis now) noexcept {
    const Drill drill = read();
    if (!running(drill, now)) return {};
    return decide(drill, now, requests_.fetch_add(1, relaxed));
}

void DrillSlot::publish(const Drill& drill) noexcept {
    const std::uint32_t version = version_.load(relaxed);
    version_.store(version + 1, relaxed);
    kind_.store(drill.kind, release);
    origin_.store(drill.origin, release);
    status_.store(drill.status, release);
    rate_ppm_.store(drill.rate_ppm, release);
    id_.store(drill.id, release);
    ends_at_.store(drill.ends_at, release);
    latency_.store(drill.latency, release);
    cut_after_.store(drill.cut_after, release);
    requests_.store(0, release);
    version_.store(version + 2, release);
}

}  // namespace cachet::proxy
