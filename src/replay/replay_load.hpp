#pragma once
// A replay's answers, read from its snapshot at start (before any worker runs), with a
// progress bar on a terminal. A snapshot that is missing or corrupt stops the start: a
// stand-in that answers part of what was recorded would pass for a complete one.
#include <memory>
#include <string>

#include "replay/replay_table.hpp"
#include "util/result.hpp"

namespace cachet::replay {

// `without_date`: see ReplayTable.
tl::expected<std::unique_ptr<ReplayTable>, std::string> load_replay_table(const std::string& path,
                                                                          bool without_date);

}  // namespace cachet::replay
