#pragma once
// Writes a snapshot so that PATH always holds a whole snapshot: the old one until commit()
// returns, the new one after.
//
//   create()   opens PATH.tmp-<pid>-<n> in PATH's directory (O_EXCL, mode 0600: recorded
//              exchanges can hold private responses) and writes the header
//   append()   encodes into a buffer, written out in large writes (buffer_bytes)
//   commit()   writes what is buffered, fsync(file), rename(temp, PATH), fsync(directory)
//
// A crash at any point (kill -9 included) leaves PATH as it was; the temporary file stays
// behind, read by nothing, until a process that writes PATH starts and removes it
// (leftover_temps.hpp). A writer destroyed before commit() removes its temporary
// file. After a failed call the writer is spent: later calls return the same error.
#include <cstdint>
#include <optional>
#include <string>

#include "snapshot/record.hpp"
#include "snapshot/snapshot_error.hpp"

namespace cachet::snapshot {

class Progress;

class SnapshotWriter {
public:
    // bytes: appends gather this much before one write(2)
    static constexpr std::size_t buffer_bytes = 4u << 20;

    // `progress`, when given, is advanced by the bytes written; it must outlive the writer.
    static SnapshotResult<SnapshotWriter> create(std::string path, Progress* progress = nullptr);

    SnapshotWriter(SnapshotWriter&& other) noexcept;
    SnapshotWriter& operator=(SnapshotWriter&& other) noexcept;
    SnapshotWriter(const SnapshotWriter&) = delete;
    SnapshotWriter& operator=(const SnapshotWriter&) = delete;
    ~SnapshotWriter();  // not committed: closes and removes the temporary file

    SnapshotResult<void> append(const RecordView& record);
    SnapshotResult<void> append(const Record& record);
    // Makes the snapshot PATH's. Once it succeeded, only the accessors remain.
    SnapshotResult<void> commit();

    const std::string& path() const noexcept { return path_; }
    const std::string& temp_path() const noexcept { return temp_path_; }
    std::uint64_t records() const noexcept { return records_; }
    std::uint64_t bytes() const noexcept { return bytes_; }  // header and records so far
    bool committed() const noexcept { return committed_; }

private:
    SnapshotWriter(std::string path, std::string temp_path, int fd, Progress* progress);
    SnapshotResult<void> check_usable() const;
    SnapshotResult<void> write_buffer();
    SnapshotResult<void> fail(SnapshotError error);
    void discard() noexcept;

    std::string path_;
    std::string temp_path_;
    int fd_ = -1;  // owned: the temporary file, until commit() or discard()
    std::string buffer_;
    Progress* progress_ = nullptr;  // borrowed
    std::uint64_t records_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t written_ = 0;  // bytes handed to write(2): the file's size so far
    bool committed_ = false;
    bool temp_exists_ = true;               // the temporary file is there, ours to remove
    std::optional<SnapshotError> failure_;  // set once a call failed
};

}  // namespace cachet::snapshot
