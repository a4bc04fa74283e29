// `cachet snapshot merge OUT IN1 IN2 ...`: every record of IN1, then of IN2..., in order
// and all kept (several answers recorded for one key are meant to be replayed in turn).
// OUT is written through SnapshotWriter, so it is replaced whole or not at all; an input
// with a bad record stops the merge before OUT changes.
#include <cinttypes>

#include "snapshot/command.hpp"
#include "snapshot/leftover_temps.hpp"
#include "snapshot/progress.hpp"
#include "snapshot/subcommands.hpp"
#include "snapshot/writer.hpp"

namespace cachet::snapshot {

int merge_snapshots(const std::string& out_path, std::span<const std::string_view> inputs,
                    std::FILE* out, std::FILE* err) {
    remove_leftover_temps(out_path);
    auto writer = SnapshotWriter::create(out_path);
    if (!writer) {
        report_error(err, writer.error().message);
        return exit_bad_file;
    }
    Progress progress("merging", err);
    for (std::string_view input : inputs) {
        std::optional<SnapshotError> write_error;
        const RecordVisitor copy = [&](const RecordView& record) {
            auto appended = writer->append(record);
            if (!appended) write_error = appended.error();
            return appended.has_value();
        };
        const ReadSummary summary =
            read_snapshot(std::string(input), ReadOptions{.all_or_nothing = true}, copy, &progress);
        if (write_error) {
            progress.finish();
            report_error(err, write_error->message);
            return exit_bad_file;
        }
        if (!summary.ok()) {
            progress.finish();
            report_read_error(err, summary);
            report_error(err, "nothing merged: " + out_path + " is unchanged");
            return exit_bad_file;
        }
    }
    auto committed = writer->commit();
    progress.finish();
    if (!committed) {
        report_error(err, committed.error().message);
        return exit_bad_file;
    }
    std::fprintf(out, "merged %zu files: %" PRIu64 " records, %" PRIu64 " bytes into %s\n",
                 inputs.size(), writer->records(), writer->bytes(), out_path.c_str());
    return exit_ok;
}

}  // namespace cachet::snapshot
