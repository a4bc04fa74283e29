#include "proxy/drill.hpp"

#include <doctest/doctest.h>

using namespace cachet;
using namespace cachet::proxy;

namespace {

Drill drill_of(DrillKind kind, Millis ends_at = 1'000, double rate = 1.0) {
    Drill drill;
    drill.kind = kind;
    drill.ends_at = ends_at;
    drill.rate_ppm = static_cast<std::uint32_t>(rate * kRateScale);
    drill.latency = 300;
    drill.status = 503;
    drill.cut_after = 10;
    return drill;
}

int affected_of(std::uint32_t rate_ppm, std::uint64_t from, std::uint64_t count) {
    int n = 0;
    for (std::uint64_t i = from; i < from + count; ++i) n += affects(rate_ppm, i) ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("each kind of drill has its action, with the kind's own figure") {
    CHECK(decide(drill_of(DrillKind::down), 0, 0) == DrillAction{DrillActionKind::refuse, 0});
    CHECK(decide(drill_of(DrillKind::slow), 0, 0) == DrillAction{DrillActionKind::delay, 300});
    CHECK(decide(drill_of(DrillKind::error), 0, 0) == DrillAction{DrillActionKind::answer, 503});
    CHECK(decide(drill_of(DrillKind::reset), 0, 0) == DrillAction{DrillActionKind::cut_after, 10});
    CHECK(decide(Drill{}, 0, 0) == DrillAction{});
}

TEST_CASE("a drill acts until its deadline and not from it on: it ends by itself") {
    const Drill drill = drill_of(DrillKind::down, /*ends_at=*/1'000);
    CHECK(decide(drill, 0, 0).kind == DrillActionKind::refuse);
    CHECK(decide(drill, 999, 1).kind == DrillActionKind::refuse);
    CHECK(decide(drill, 1'000, 2).kind == DrillActionKind::none);
    CHECK(decide(drill, 50'000, 3).kind == DrillActionKind::none);
    CHECK(running(drill, 999));
    CHECK_FALSE(running(drill, 1'000));
    CHECK_FALSE(running(Drill{}, 0));
}

TEST_CASE("rate 0.25 affects exactly one request in four, the first of each four") {
    const std::uint32_t quarter = kRateScale / 4;
    CHECK(affects(quarter, 0));
    CHECK_FALSE(affects(quarter, 1));
    CHECK_FALSE(affects(quarter, 2));
    CHECK_FALSE(affects(quarter, 3));
    CHECK(affects(quarter, 4));
    CHECK(affected_of(quarter, 0, 400) == 100);
    const Drill drill = drill_of(DrillKind::error, 1'000, 0.25);
    int answered = 0;
    for (std::uint64_t n = 0; n < 40; ++n)
        answered += decide(drill, 10, n).kind == DrillActionKind::answer ? 1 : 0;
    CHECK(answered == 10);
}

TEST_CASE("rates 0 and 1 affect no request and every request; 0.5 every other one") {
    CHECK(affected_of(0, 0, 1'000) == 0);
    CHECK(affected_of(kRateScale, 0, 1'000) == 1'000);
    CHECK(affected_of(kRateScale / 2, 0, 10) == 5);
    CHECK(affects(kRateScale / 2, 0));
    CHECK_FALSE(affects(kRateScale / 2, 1));
}

TEST_CASE("a rate's share holds over any window and for counters past the scale") {
    const std::uint32_t rate = 300'000;  // 0.3
    CHECK(affected_of(rate, 0, 10) == 3);
    CHECK(affected_of(rate, 7, 1'000) == 300);
    CHECK(affected_of(rate, (1ull << 63) - 5, 1'000) == 300);
    CHECK(affected_of(rate, kRateScale - 3, 10) == 3);
}

TEST_CASE(
    "an action's kind names the drill it comes from, and only refusals and answers "
    "open no socket") {
    CHECK(kind_of(DrillActionKind::refuse) == DrillKind::down);
    CHECK(kind_of(DrillActionKind::delay) == DrillKind::slow);
    CHECK(kind_of(DrillActionKind::answer) == DrillKind::error);
    CHECK(kind_of(DrillActionKind::cut_after) == DrillKind::reset);
    CHECK(opens_no_socket({DrillActionKind::refuse, 0}));
    CHECK(opens_no_socket({DrillActionKind::answer, 503}));
    CHECK_FALSE(opens_no_socket({DrillActionKind::delay, 300}));
    CHECK_FALSE(opens_no_socket({DrillActionKind::cut_after, 1}));
    CHECK_FALSE(opens_no_socket({}));
}

TEST_CASE("drill kinds are named and parsed by their names, and have one slot each") {
    for (std::size_t slot = 0; slot < kDrillKindCount; ++slot) {
        const DrillKind kind = kind_at(slot);
        CHECK(slot_of(kind) == slot);
        CHECK(parse_drill_kind(name(kind)) == kind);
    }
    CHECK(name(DrillKind::reset) == "reset");
    CHECK_FALSE(parse_drill_kind("none"));
    CHECK_FALSE(parse_drill_kind("Down"));
    CHECK_FALSE(parse_drill_kind(""));
}

TEST_CASE("an error drill's response is a whole HTTP/1.1 response that closes its connection") {
    const std::string response = drill_response(503, "api");
    CHECK(response.starts_with("HTTP/1.1 503 Service Unavailable\r\n"));
    CHECK(response.find("\r\nConnection: close\r\n") != std::string::npos);
    const std::string body = "cachet drill: origin \"api\" answers 503\n";
    CHECK(response.ends_with("\r\n\r\n" + body));
    CHECK(response.find("Content-Length: " + std::to_string(body.size()) + "\r\n") !=
          std::string::npos);
    CHECK(drill_response(418, "api").starts_with("HTTP/1.1 418 Drill\r\n"));
}
