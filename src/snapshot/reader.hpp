#pragma once
// Reading a snapshot: the header, then every record in file order, each checked (frame,
// XXH3-64 of the payload, field lengths) before the callback sees it.
//
// A bad record ends the read. By default the records before it were delivered already and
// the summary says how many (the valid prefix) and what is wrong at which offset; with
// all_or_nothing the whole file is checked first and nothing is delivered unless all of it
// is good. The views a callback gets point into the mapped file: valid during that call only.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "snapshot/format.hpp"
#include "snapshot/record.hpp"
#include "snapshot/snapshot_error.hpp"

namespace cachet::snapshot {

class Progress;

struct ReadOptions {
    // Check every record before delivering any (two passes; the second skips the checksums).
    bool all_or_nothing = false;
};

// Returns false to stop reading: the read ends there, without an error.
using RecordVisitor = std::function<bool(const RecordView&)>;

struct ReadSummary {
    FileHeader header;            // when the header was good
    std::uint64_t records = 0;    // valid records read: before the error, or the stop
    std::uint64_t delivered = 0;  // records the callback was given
    std::uint64_t bytes = 0;      // bytes of the valid prefix: header and valid records
    bool stopped = false;         // the callback returned false
    std::optional<SnapshotError> error;

    bool ok() const noexcept { return !error.has_value(); }
};

// Reads the snapshot held in `file`; errors name no path. A progress bar is advanced by
// each record's bytes, its total raised by the bytes to read; finishing it is the caller's.
ReadSummary read_records(std::string_view file, const ReadOptions& options,
                         const RecordVisitor& on_record, Progress* progress = nullptr);

// Maps the file at `path` and reads it; errors start with the path. A missing file gives an
// error whose file_missing() is true.
ReadSummary read_snapshot(const std::string& path, const ReadOptions& options,
                          const RecordVisitor& on_record, Progress* progress = nullptr);

// The same for a callback that returns nothing (it never stops the read).
template <class Callback>
requires std::is_void_v<std::invoke_result_t<Callback&, const RecordView&>> ReadSummary
read_snapshot(const std::string& path, const ReadOptions& options, Callback&& on_record,
              Progress* progress = nullptr) {
    const RecordVisitor visitor = [&on_record](const RecordView& record) {
        on_record(record);
        return true;
    };
    return read_snapshot(path, options, visitor, progress);
}

// Checks every record of the file at `path`, delivering none.
ReadSummary verify_snapshot(const std::string& path, Progress* progress = nullptr);

}  // namespace cachet::snapshot
