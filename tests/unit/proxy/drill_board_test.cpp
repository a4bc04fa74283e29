#include "proxy/drill_board.hpp"

#include <doctest/doctest.h>

using namespace cachet;
using namespace cachet::proxy;

namespace {

Drill on(std::uint16_t origin, DrillKind kind, Millis ends_at, double rate = 1.0) {
    Drill drill;
    drill.origin = origin;
    drill.kind = kind;
    drill.ends_at = ends_at;
    drill.rate_ppm = static_cast<std::uint32_t>(rate * kRateScale);
    drill.status = 503;
    return drill;
}

// What a worker's pool does per origin request: the idle check, then the action.
DrillAction action(DrillBoard& board, unsigned origin, Millis now) {
    return board.idle(origin) ? DrillAction{} : board.next_action(origin, now);
}

}  // namespace

TEST_CASE("an origin without a drill has no action; one with a drill has its action") {
    DrillBoard board(2);
    CHECK(action(board, 0, 10) == DrillAction{});
    board.start(on(1, DrillKind::down, 1'000));
    CHECK(action(board, 0, 10) == DrillAction{});
    CHECK(action(board, 1, 10).kind == DrillActionKind::refuse);
}

TEST_CASE("a new drill on an origin replaces the running one, with its own id and numbering") {
    DrillBoard board(1);
    auto first = board.start(on(0, DrillKind::error, 1'000, 0.5));
    CHECK(first.drill.id == 1);
    CHECK_FALSE(first.earlier);
    CHECK(action(board, 0, 10).kind == DrillActionKind::answer);  // request 0
    CHECK(action(board, 0, 10).kind == DrillActionKind::none);    // request 1

    auto second = board.start(on(0, DrillKind::error, 2'000, 0.5));
    CHECK(second.drill.id == 2);
    REQUIRE(second.earlier);
    CHECK(second.earlier->id == 1);
    // The numbering starts again: the replacing drill's first request is affected.
    CHECK(action(board, 0, 10).kind == DrillActionKind::answer);
    CHECK(action(board, 0, 10).kind == DrillActionKind::none);

    auto third = board.start(on(0, DrillKind::slow, 2'000));
    CHECK(action(board, 0, 10).kind == DrillActionKind::delay);
    auto running = board.running(10);
    REQUIRE(running.size() == 1);
    CHECK(running[0].id == third.drill.id);
    CHECK(running[0].kind == DrillKind::slow);
}

TEST_CASE("a drill past its deadline acts no more, is not running, and the sweep clears it") {
    DrillBoard board(2);
    board.start(on(0, DrillKind::down, 1'000));
    board.start(on(1, DrillKind::slow, 5'000));
    CHECK(action(board, 0, 1'000) == DrillAction{});
    CHECK(board.running(1'000).size() == 1);
    auto ended = board.end_expired(1'000);
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].origin == 0);
    CHECK(board.end_expired(1'000).empty());  // once
    CHECK(board.running(4'999).size() == 1);
}

TEST_CASE("ending a drill clears its origin's slot at once") {
    DrillBoard board(1);
    board.start(on(0, DrillKind::reset, 1'000));
    auto ended = board.end(0);
    REQUIRE(ended);
    CHECK(ended->kind == DrillKind::reset);
    CHECK(action(board, 0, 10) == DrillAction{});
    CHECK(board.running(10).empty());
    CHECK_FALSE(board.end(0));
}
