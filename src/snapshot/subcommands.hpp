#pragma once
// The four commands behind run_command (command.hpp), one file each; what they share.
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "snapshot/reader.hpp"

namespace cachet::snapshot {

int list_snapshot(const std::string& path, std::FILE* out, std::FILE* err);
// `which`: a 0-based record index, or a key (as stored, or as escape_bytes() shows it).
int show_record(const std::string& path, std::string_view which, std::FILE* out, std::FILE* err);
int verify_command(const std::string& path, std::FILE* out, std::FILE* err);
int merge_snapshots(const std::string& out_path, std::span<const std::string_view> inputs,
                    std::FILE* out, std::FILE* err);

// "cachet snapshot: MESSAGE (N valid records before it)" on `err`.
void report_read_error(std::FILE* err, const ReadSummary& summary);
void report_error(std::FILE* err, std::string_view message);

}  // namespace cachet::snapshot
