#pragma once
// Writes the exchanges of --mode record (and a replay's forwarded misses) to the snapshot:
// workers hand it records, its own thread appends them to a SnapshotWriter, so no worker
// waits on the disk. The snapshot becomes PATH's when the recorder stops (the writer's
// temp, fsync, rename): until then PATH holds what it held, so a crash mid-recording
// loses that session's records and never leaves half a file. On a terminal, a progress line
// counts what has been recorded so far (snapshot/progress.hpp; nothing on a pipe).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "snapshot/progress.hpp"
#include "snapshot/record.hpp"
#include "snapshot/writer.hpp"

namespace cachet::replay {

class Recorder {
public:
    // Opens the writer for `path`; with `keep_existing`, the records already at `path` come
    // first (a replay appending its forwarded misses). Errors name the path.
    static tl::expected<std::unique_ptr<Recorder>, std::string> open(const std::string& path,
                                                                     bool keep_existing);
    ~Recorder();  // stops without committing when stop() was not called
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Any thread: queued for the writer thread.
    void record(snapshot::Record record);
    // Writes what is queued, commits the snapshot and joins the thread. Returns the error
    // that kept the snapshot from being written, if any.
    std::optional<std::string> stop();

    // The records written; read it after stop(), once the writer thread has been joined.
    std::uint64_t recorded() const noexcept { return written_; }

private:
    Recorder(std::unique_ptr<snapshot::Progress> progress, snapshot::SnapshotWriter writer);
    void run();

    // Advanced by writer_ (which borrows it) on the writer thread, and, before that thread
    // starts, while open() copies the existing records.
    std::unique_ptr<snapshot::Progress> progress_;
    snapshot::SnapshotWriter writer_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<snapshot::Record> queue_;
    bool stopping_ = false;
    std::optional<std::string> failure_;  // the first write error: later records are dropped
    std::uint64_t written_ = 0;           // the writer thread's, read after join
    std::thread thread_;
};

}  // namespace cachet::replay
