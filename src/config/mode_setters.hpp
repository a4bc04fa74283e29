#pragma once
// The settings of record and replay (--mode, --snapshot, --replay-*): their setters for the
// flags table (flag_table.hpp), their names for --print-config, and what a mode needs of the
// other settings once every source is read.
#include <string>
#include <string_view>

#include "cachet/config.hpp"

namespace cachet::config {

std::string set_mode(Config& c, std::string_view v);
std::string set_replay_miss(Config& c, std::string_view v);
std::string set_replay_order(Config& c, std::string_view v);
std::string set_replay_date(Config& c, std::string_view v);
std::string set_replay_latency(Config& c, std::string_view v);
std::string set_replay_latency_scale(Config& c, std::string_view v);

std::string_view name(Mode mode) noexcept;          // "proxy", "record", "replay"
std::string_view name(ReplayMiss miss) noexcept;    // "error", "forward"
std::string_view name(ReplayOrder order) noexcept;  // "cycle", "last"
std::string_view name(ReplayDate date) noexcept;    // "recorded", "now"
std::string format_factor(double factor);           // what set_replay_latency_scale reads back

// "" when the settings fit the mode, else the error naming the setting: record and replay
// need --snapshot.
std::string check_mode(const Config& c);

}  // namespace cachet::config
