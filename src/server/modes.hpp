#pragma once
// What --mode record and --mode replay add to a run of the server: before the workers start,
// the replay's answers loaded from the snapshot and the recorder opened; after they have
// stopped, the recording committed to the snapshot and the replay's report of unmatched
// requests written (--replay-report).
#include <memory>
#include <string>
#include <vector>

#include "cachet/config.hpp"
#include "replay/recorder.hpp"
#include "replay/replay_table.hpp"
#include "util/result.hpp"

namespace cachet::server {

class Worker;

struct ModeParts {
    std::unique_ptr<replay::ReplayTable> replay;  // replay
    std::unique_ptr<replay::Recorder> recorder;   // record, or replay with --replay-miss forward
};

// Errors name the setting (--snapshot) and the file.
tl::expected<ModeParts, std::string> open_mode(const Config& config);

// Once every worker has joined. Returns false when the recording could not be written.
bool close_mode(ModeParts& parts, const Config& config,
                const std::vector<std::unique_ptr<Worker>>& workers);

// Where a replay's report goes: --replay-report, or the snapshot's path + ".unmatched.json".
std::string replay_report_path(const Config& config);

}  // namespace cachet::server
