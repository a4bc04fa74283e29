#pragma once
// The store in a snapshot file (--persist, docs/snapshot-format.md): every entry as an
// `entry` record, with its head, body, freshness and stale rules, so a restarted cachet is
// warm at once and its Age goes on from where it was (an entry's times are absolute).
#include <cstdint>
#include <optional>
#include <string>

#include "cache/store.hpp"
#include "util/time.hpp"

namespace cachet::persist {

struct SaveResult {
    std::uint64_t entries = 0;
    std::uint64_t bytes = 0;           // the file's
    std::optional<std::string> error;  // the store was not saved (the previous file stays)
};

// Writes every entry of the store to `path` (temporary file, fsync, rename): one shard at a
// time, each shard's lock held only to take references to its entries, so the workers
// keep answering while the file is written. A progress bar on a terminal when `progress`.
SaveResult save_store(const cache::Store& store, const std::string& path, bool progress);

struct LoadResult {
    std::uint64_t loaded = 0;
    std::uint64_t expired = 0;  // past the time the store may keep them: left out
    std::uint64_t refused = 0;  // not taken by the store (over its budget)
    bool missing = false;       // no file: a first start
    // A damaged file: what is wrong and where. With `partial`, the entries before the
    // damage were loaded; without, none was.
    std::optional<std::string> error;
};

// Loads the entries saved at `path` into the store, before any worker runs.
LoadResult load_store(cache::Store& store, const std::string& path, Seconds now, bool partial);

}  // namespace cachet::persist
