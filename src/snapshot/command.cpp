#include "snapshot/command.hpp"

#include <string>

#include "snapshot/subcommands.hpp"

namespace cachet::snapshot {
namespace {

constexpr std::string_view usage =
    "usage: cachet snapshot ls PATH | show PATH KEY|INDEX | verify PATH | merge OUT IN1 IN2 "
    "[...]\n";

int usage_error(std::FILE* err) {
    std::fwrite(usage.data(), 1, usage.size(), err);
    return exit_usage;
}

}  // namespace

void report_error(std::FILE* err, std::string_view message) {
    std::fprintf(err, "cachet snapshot: %.*s\n", static_cast<int>(message.size()), message.data());
}

void report_read_error(std::FILE* err, const ReadSummary& summary) {
    std::string message = summary.error ? summary.error->message : std::string("read failed");
    if (summary.error && summary.error->format) {
        message += " (" + std::to_string(summary.records) + " valid record" +
                   (summary.records == 1 ? "" : "s") + " before it)";
    }
    report_error(err, message);
}

int run_command(std::span<const std::string_view> args, std::FILE* out, std::FILE* err) {
    if (args.empty()) return usage_error(err);
    const std::string_view command = args[0];
    const auto operands = args.subspan(1);
    if (command == "help" || command == "--help" || command == "-h") {
        std::fwrite(usage.data(), 1, usage.size(), out);
        return exit_ok;
    }
    if (command == "ls" && operands.size() == 1) {
        return list_snapshot(std::string(operands[0]), out, err);
    }
    if (command == "show" && operands.size() == 2) {
        return show_record(std::string(operands[0]), operands[1], out, err);
    }
    if (command == "verify" && operands.size() == 1) {
        return verify_command(std::string(operands[0]), out, err);
    }
    if (command == "merge" && operands.size() >= 2) {
        return merge_snapshots(std::string(operands[0]), operands.subspan(1), out, err);
    }
    return usage_error(err);
}

}  // namespace cachet::snapshot
