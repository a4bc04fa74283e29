#pragma once
// GET /: one self-contained HTML page (inline CSS and JS, no external assets) that polls
// /stats every second and shows requests per second by cache status and the hit ratio (over
// the last five seconds), the origin's latency p50/p99, memory against the budget, entries
// and evictions.
#include <string_view>

namespace cachet::admin {

std::string_view dashboard_html() noexcept;

}  // namespace cachet::admin
