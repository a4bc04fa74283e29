// `cachet snapshot verify PATH`: every record's checksum and lengths, or the first bad one.
#include <cinttypes>

#include "snapshot/command.hpp"
#include "snapshot/progress.hpp"
#include "snapshot/subcommands.hpp"

namespace cachet::snapshot {

int verify_command(const std::string& path, std::FILE* out, std::FILE* err) {
    Progress progress("verifying", err);
    const ReadSummary summary = verify_snapshot(path, &progress);
    progress.finish();
    if (!summary.ok()) {
        report_read_error(err, summary);
        return exit_bad_file;
    }
    std::fprintf(out, "ok: %" PRIu64 " records, %" PRIu64 " bytes\n", summary.records,
                 summary.bytes);
    return exit_ok;
}

}  // namespace cachet::snapshot
