#include "server/modes.hpp"

#include <cstdio>

#include "replay/replay_load.hpp"
#include "replay/unmatched.hpp"
#include "server/worker.hpp"
#include "util/log.hpp"

namespace cachet::server {
namespace {

bool write_file(const std::string& path, const std::string& text) {
    std::FILE* file = std::fopen(path.c_str(), "w");
    if (!file) return false;
    const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
    return std::fclose(file) == 0 && written;
}

void write_replay_report(const Config& config,
                         const std::vector<std::unique_ptr<Worker>>& workers) {
    replay::UnmatchedRequests all;
    for (const auto& worker : workers) all.merge(worker->unmatched());
    const std::string path = replay_report_path(config);
    if (!write_file(path, all.report_json())) {
        log::write(log::Level::error, "replay report not written", {{"path", path}});
        return;
    }
    log::write(all.total() ? log::Level::warn : log::Level::info, "replay report written",
               {{"path", path},
                {"unmatched", static_cast<std::int64_t>(all.total())},
                {"distinct", static_cast<std::int64_t>(all.distinct())}});
}

}  // namespace

std::string replay_report_path(const Config& config) {
    return config.replay_report.empty() ? config.snapshot + ".unmatched.json"
                                        : config.replay_report;
}

tl::expected<ModeParts, std::string> open_mode(const Config& config) {
    ModeParts parts;
    if (config.mode == Mode::replay) {
        auto table =
            replay::load_replay_table(config.snapshot, config.replay_date == ReplayDate::now);
        if (!table) return tl::unexpected(table.error());
        parts.replay = std::move(*table);
        log::write(log::Level::info, "snapshot loaded",
                   {{"path", config.snapshot},
                    {"keys", static_cast<std::int64_t>(parts.replay->key_count())},
                    {"answers", static_cast<std::int64_t>(parts.replay->answer_count())},
                    {"body_bytes", static_cast<std::int64_t>(parts.replay->body_bytes())}});
    }
    const bool records = config.mode == Mode::record ||
                         (config.mode == Mode::replay && config.replay_miss == ReplayMiss::forward);
    if (records) {
        // A replay keeps what it replays and appends its forwarded misses; a recording
        // starts a new snapshot.
        auto recorder = replay::Recorder::open(config.snapshot, config.mode == Mode::replay);
        if (!recorder) return tl::unexpected("--snapshot: " + recorder.error());
        parts.recorder = std::move(*recorder);
    }
    return parts;
}

bool close_mode(ModeParts& parts, const Config& config,
                const std::vector<std::unique_ptr<Worker>>& workers) {
    if (config.mode == Mode::replay) write_replay_report(config, workers);
    if (!parts.recorder) return true;
    if (auto error = parts.recorder->stop()) {
        log::write(log::Level::error, "snapshot not written",
                   {{"path", config.snapshot}, {"error", *error}});
        return false;
    }
    log::write(log::Level::info, "snapshot written",
               {{"path", config.snapshot},
                {"records", static_cast<std::int64_t>(parts.recorder->recorded())}});
    return true;
}

}  // namespace cachet::server
