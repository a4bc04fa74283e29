#pragma once
// /stats: the figures of /metrics as one JSON object, for people and the dashboard. Pure.
#include <string>

#include "admin/snapshot.hpp"

namespace cachet::admin {

std::string format_stats_json(const Snapshot& snapshot);

}  // namespace cachet::admin
