#include "replay/unmatched.hpp"

#include <doctest/doctest.h>

using namespace cachet::replay;

TEST_CASE(
    "unmatched requests: counted by key, merged across workers, reported most frequent first") {
    UnmatchedRequests one;
    UnmatchedRequests two;
    one.note("GET  /a", "GET", "h/a");
    one.note("GET  /b", "GET", "h/b");
    two.note("GET  /b", "GET", "h/b");
    two.note("GET  /b", "GET", "h/b");
    one.merge(two);
    CHECK(one.total() == 4);
    CHECK(one.distinct() == 2);
    const std::string report = one.report_json();
    CHECK(report.find(R"("unmatched": 4, "distinct": 2, "dropped": 0)") != std::string::npos);
    const auto b = report.find(R"("key": "GET  /b", "method": "GET", "url": "h/b", "count": 3)");
    const auto a = report.find(R"("key": "GET  /a", "method": "GET", "url": "h/a", "count": 1)");
    REQUIRE(b != std::string::npos);
    REQUIRE(a != std::string::npos);
    CHECK(b < a);
}

TEST_CASE("unmatched requests: past the bound only the totals grow") {
    UnmatchedRequests seen;
    for (std::size_t i = 0; i < UnmatchedRequests::kMaxKeys + 5; ++i)
        seen.note("k" + std::to_string(i), "GET", "u");
    CHECK(seen.distinct() == UnmatchedRequests::kMaxKeys);
    CHECK(seen.total() == UnmatchedRequests::kMaxKeys + 5);
    CHECK(seen.report_json().find(R"("dropped": 5)") != std::string::npos);
}

TEST_CASE("unmatched requests: an empty report is valid JSON") {
    CHECK(UnmatchedRequests().report_json() ==
          "{\"unmatched\": 0, \"distinct\": 0, \"dropped\": 0, \"requests\": []}\n");
}
