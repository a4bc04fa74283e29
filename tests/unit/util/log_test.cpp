#include "util/log.hpp"

#include <doctest/doctest.h>

using namespace cachet;

TEST_CASE("a log line is one JSON object: time, level, msg, then the fields in order") {
    // 2026-12-03T11:52:00.123Z
    const std::int64_t at = 1796298720123;
    CHECK(log::format_line(at, log::Level::info, "stopping",
                           {{"signal", "SIGTERM"}, {"drain_timeout_ms", std::int64_t{10000}}}) ==
          "{\"time\":\"2026-12-03T11:52:00.123Z\",\"level\":\"info\",\"msg\":\"stopping\","
          "\"signal\":\"SIGTERM\",\"drain_timeout_ms\":10000}\n");
}

TEST_CASE("strings in a log line are escaped as JSON (RFC 8259 §7)") {
    CHECK(log::format_line(0, log::Level::error, "a \"b\"\\c\n", {{"x", "\t\x01"}}) ==
          "{\"time\":\"1970-01-01T00:00:00.000Z\",\"level\":\"error\",\"msg\":\"a "
          "\\\"b\\\"\\\\c\\n\","
          "\"x\":\"\\t\\u0001\"}\n");
}

TEST_CASE("every level has its name") {
    CHECK(log::name(log::Level::debug) == "debug");
    CHECK(log::name(log::Level::info) == "info");
    CHECK(log::name(log::Level::warn) == "warn");
    CHECK(log::name(log::Level::error) == "error");
}
