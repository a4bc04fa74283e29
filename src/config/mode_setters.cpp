#include "config/mode_setters.hpp"

#include <charconv>
#include <cmath>

namespace cachet::config {

std::string set_mode(Config& c, std::string_view v) {
    if (v == "proxy")
        c.mode = Mode::proxy;
    else if (v == "record")
        c.mode = Mode::record;
    else if (v == "replay")
        c.mode = Mode::replay;
    else
        return "\"proxy\", \"record\" or \"replay\"";
    return {};
}

std::string set_replay_miss(Config& c, std::string_view v) {
    if (v == "error")
        c.replay_miss = ReplayMiss::error;
    else if (v == "forward")
        c.replay_miss = ReplayMiss::forward;
    else
        return "\"error\" or \"forward\"";
    return {};
}

std::string set_replay_order(Config& c, std::string_view v) {
    if (v == "cycle")
        c.replay_order = ReplayOrder::cycle;
    else if (v == "last")
        c.replay_order = ReplayOrder::last;
    else
        return "\"cycle\" or \"last\"";
    return {};
}

std::string set_replay_date(Config& c, std::string_view v) {
    if (v == "recorded")
        c.replay_date = ReplayDate::recorded;
    else if (v == "now")
        c.replay_date = ReplayDate::now;
    else
        return "\"recorded\" or \"now\"";
    return {};
}

std::string set_replay_latency(Config& c, std::string_view v) {
    auto model = replay::parse_latency(v);
    if (!model) return model.error();
    c.replay_latency = std::move(*model);
    return {};
}

std::string set_replay_latency_scale(Config& c, std::string_view v) {
    double factor = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), factor);
    if (ec != std::errc{} || end != v.data() + v.size() || !std::isfinite(factor) || factor < 0 ||
        factor > 1000) {
        return "a factor from 0 to 1000, e.g. 0.5 or 2";
    }
    c.replay_latency_scale = factor;
    return {};
}

std::string_view name(Mode mode) noexcept {
    switch (mode) {
    case Mode::proxy: return "proxy";
    case Mode::record: return "record";
    case Mode::replay: return "replay";
    }
    return "proxy";
}

std::string_view name(ReplayMiss miss) noexcept {
    return miss == ReplayMiss::forward ? "forward" : "error";
}

std::string_view name(ReplayOrder order) noexcept {
    return order == ReplayOrder::last ? "last" : "cycle";
}

std::string_view name(ReplayDate date) noexcept {
    return date == ReplayDate::now ? "now" : "recorded";
}

std::string format_factor(double factor) {
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof text, factor);
    return ec == std::errc{} ? std::string(text, end) : std::string("1");
}

std::string check_mode(const Config& c) {
    if (c.mode != Mode::proxy && c.snapshot.empty()) {
        return "--snapshot: required with --mode " + std::string(name(c.mode)) +
               ", e.g. --snapshot api.snapshot";
    }
    if (c.mode == Mode::replay && !c.persist.empty()) {
        return "--persist: not with --mode replay, which answers from --snapshot alone";
    }
    return {};
}

}  // namespace cachet::config
