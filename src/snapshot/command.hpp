#pragma once
// `cachet snapshot ls|show|verify|merge` (docs/snapshot-format.md shows each). main() hands
// over the arguments after "snapshot"; the result is the process's exit status.
#include <cstdio>
#include <span>
#include <string_view>

namespace cachet::snapshot {

inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_file = 1;  // unreadable, corrupt, or not a snapshot; no such record
inline constexpr int exit_usage = 2;     // one usage line on `err`

int run_command(std::span<const std::string_view> args, std::FILE* out, std::FILE* err);

}  // namespace cachet::snapshot
