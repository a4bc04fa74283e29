#include "admin/drill_body.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace cachet;
using namespace cachet::admin;

namespace {

std::vector<Origin> two_origins() {
    Origin a;
    a.name = "default";
    Origin b;
    b.name = "api";
    return {a, b};
}

DrillOrder order(std::string_view body) {
    auto parsed = parse_drill_body(body, two_origins());
    REQUIRE_MESSAGE(parsed, (parsed ? std::string() : parsed.error()));
    return *parsed;
}

std::string reason(std::string_view body) {
    auto parsed = parse_drill_body(body, two_origins());
    REQUIRE_FALSE(parsed);
    return parsed.error();
}

}  // namespace

TEST_CASE("a drill body names its origin, kind and duration; rate defaults to all requests") {
    DrillOrder down = order(R"({"origin": "api", "kind": "down", "duration": "30s"})");
    CHECK(down.drill.origin == 1);
    CHECK(down.drill.kind == proxy::DrillKind::down);
    CHECK(down.duration == 30'000);
    CHECK(down.drill.rate_ppm == proxy::kRateScale);
    CHECK(down.drill.id == 0);
    CHECK(down.drill.ends_at == 0);
}

TEST_CASE("each kind takes its own figure: latency, status, cut_after") {
    DrillOrder slow =
        order(R"({"origin": "default", "kind": "slow", "duration": "2s", "latency": "300ms"})");
    CHECK(slow.drill.kind == proxy::DrillKind::slow);
    CHECK(slow.drill.latency == 300);

    DrillOrder error = order(
        R"({"kind": "error", "origin": "default", "duration": "1m", "status": 500, "rate": 0.5})");
    CHECK(error.drill.status == 500);
    CHECK(error.drill.rate_ppm == proxy::kRateScale / 2);
    CHECK(order(R"({"origin": "default", "kind": "error", "duration": "1s"})").drill.status ==
          kDefaultDrillStatus);

    DrillOrder reset =
        order(R"({"origin": "default", "kind": "reset", "duration": "1h", "cut_after": 0})");
    CHECK(reset.drill.cut_after == 0);
    CHECK(reset.duration == 3'600'000);
    CHECK(order(R"({"origin": "default", "kind": "reset", "duration": "1s"})").drill.cut_after ==
          kDefaultCutAfter);
    CHECK(order(R"({"origin": "default", "kind": "down", "duration": "1s", "rate": 0})")
              .drill.rate_ppm == 0);
    CHECK(order(R"({"origin": "default", "kind": "down", "duration": "1s", "rate": 1})")
              .drill.rate_ppm == proxy::kRateScale);
}

TEST_CASE("a body that is not a JSON object, or has an unknown field, is refused as the body's") {
    CHECK(reason("").starts_with("body: expected a JSON object"));
    CHECK(reason("[1]").starts_with("body: expected a JSON object"));
    CHECK(reason(R"({"origin": "default", "kind": "down", "duration": "1s", "for": 2})") ==
          "body: unknown field \"for\"; use origin, kind, duration, latency, status, rate and "
          "cut_after");
}

TEST_CASE("origin: required, and one of the running origins, which the reason lists") {
    CHECK(reason(R"({"kind": "down", "duration": "1s"})") ==
          R"(origin: required (origins: "default", "api"))");
    CHECK(reason(R"({"origin": "apl", "kind": "down", "duration": "1s"})") ==
          R"(origin: unknown origin "apl" (origins: "default", "api"))");
    CHECK(reason(R"({"origin": 1, "kind": "down", "duration": "1s"})") ==
          "origin: expected a string");
    CHECK(reason(R"({"origin": "a\nb", "kind": "down", "duration": "1s"})").find('\n') ==
          std::string::npos);  // one line, whatever was sent
}

TEST_CASE("kind: required, one of down, slow, error, reset") {
    CHECK(reason(R"({"origin": "api", "duration": "1s"})") ==
          "kind: required, one of down, slow, error, reset");
    CHECK(reason(R"({"origin": "api", "kind": "flaky", "duration": "1s"})") ==
          "kind: unknown kind \"flaky\", one of down, slow, error, reset");
}

TEST_CASE("duration: required, a duration above 0 and at most 1h") {
    const std::string expected = "duration: required, a duration like \"30s\", at most 1h";
    CHECK(reason(R"({"origin": "api", "kind": "down"})") == expected);
    CHECK(reason(R"({"origin": "api", "kind": "down", "duration": "61m"})") == expected);
    CHECK(reason(R"({"origin": "api", "kind": "down", "duration": "0s"})") == expected);
    CHECK(reason(R"({"origin": "api", "kind": "down", "duration": "soon"})") == expected);
    CHECK(reason(R"({"origin": "api", "kind": "down", "duration": 30})") ==
          "duration: expected a string");
}

TEST_CASE("latency: required with slow, at most 10m, and only with slow") {
    const std::string expected =
        "latency: required with kind slow, a duration like \"300ms\", at most 10m";
    CHECK(reason(R"({"origin": "api", "kind": "slow", "duration": "1s"})") == expected);
    CHECK(reason(R"({"origin": "api", "kind": "slow", "duration": "1s", "latency": "11m"})") ==
          expected);
    CHECK(reason(R"({"origin": "api", "kind": "down", "duration": "1s", "latency": "1s"})") ==
          "latency: only with kind slow");
}

TEST_CASE("status: an error status from 400 to 599, and only with error") {
    const std::string expected = "status: an error status from 400 to 599";
    CHECK(reason(R"({"origin": "api", "kind": "error", "duration": "1s", "status": 200})") ==
          expected);
    CHECK(reason(R"({"origin": "api", "kind": "error", "duration": "1s", "status": 600})") ==
          expected);
    CHECK(reason(R"({"origin": "api", "kind": "error", "duration": "1s", "status": "503"})") ==
          expected);
    CHECK(reason(R"({"origin": "api", "kind": "slow", "duration": "1s", "latency": "1s",
                     "status": 503})") == "status: only with kind error");
}

TEST_CASE("rate: a number from 0 to 1") {
    for (const char* rate : {"1.5", "-0.1", "\"half\"", "true"}) {
        CHECK(
            reason(std::string(R"({"origin": "api", "kind": "down", "duration": "1s", "rate": )") +
                   rate + "}") == "rate: a number from 0 to 1");
    }
}

TEST_CASE("cut_after: a number of body bytes, and only with reset") {
    CHECK(reason(R"({"origin": "api", "kind": "reset", "duration": "1s", "cut_after": -1})") ==
          "cut_after: a number of body bytes, 0 or more");
    CHECK(reason(R"({"origin": "api", "kind": "error", "duration": "1s", "cut_after": 5})") ==
          "cut_after: only with kind reset");
}

TEST_CASE("a drill is described with its deadline as ms from now and its kind's figure") {
    proxy::Drill drill;
    drill.kind = proxy::DrillKind::slow;
    drill.id = 4;
    drill.ends_at = 31'000;
    drill.latency = 300;
    drill.rate_ppm = proxy::kRateScale / 4;
    CHECK(
        drill_json(drill, "api", 1'000) ==
        R"({"id":4,"origin":"api","kind":"slow","ends_in_ms":30000,"rate":0.25,"latency_ms":300})");
    drill.kind = proxy::DrillKind::error;
    drill.status = 503;
    drill.rate_ppm = proxy::kRateScale;
    CHECK(drill_json(drill, "api", 40'000) ==
          R"({"id":4,"origin":"api","kind":"error","ends_in_ms":0,"rate":1,"status":503})");
}
