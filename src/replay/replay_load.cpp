#include "replay/replay_load.hpp"

#include "snapshot/progress.hpp"
#include "snapshot/reader.hpp"

namespace cachet::replay {

tl::expected<std::unique_ptr<ReplayTable>, std::string> load_replay_table(const std::string& path,
                                                                          bool without_date) {
    auto table = std::make_unique<ReplayTable>(without_date);
    snapshot::Progress progress("loading " + path);
    snapshot::ReadOptions options;
    options.all_or_nothing = true;
    const auto summary = snapshot::read_snapshot(
        path, options, [&](const snapshot::RecordView& record) { table->add(record); }, &progress);
    progress.finish();
    if (summary.error) return tl::unexpected("--snapshot: " + summary.error->message);
    table->seal();
    return table;
}

}  // namespace cachet::replay
