#pragma once
// /metrics: a Snapshot in Prometheus' text exposition format 0.0.4 (# HELP and # TYPE per
// family, `_total` counters, base units: seconds and bytes). Pure: no I/O.
#include <string>
#include <string_view>

#include "admin/snapshot.hpp"

namespace cachet::admin {

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4";

std::string format_prometheus(const Snapshot& snapshot);

// A label value with \, " and newline escaped as the format requires.
std::string escape_label_value(std::string_view value);

}  // namespace cachet::admin
