#pragma once
// A whole file mapped read-only into memory: the reader decodes records straight from the
// page cache, so loading copies each body once (into its entry) and nothing else.
//
// The mapping is private, but pages the process has not touched still show later writes to
// the file, and a file truncated under it raises SIGBUS. cachet's own snapshots are replaced
// by rename (writer.hpp), never rewritten in place, so a reader keeps the file it opened.
#include <cstdint>
#include <string>
#include <string_view>

#include "snapshot/snapshot_error.hpp"

namespace cachet::snapshot {

class MappedFile {
public:
    // Maps the regular file at `path`; an empty file maps to no bytes.
    static SnapshotResult<MappedFile> open(const std::string& path);

    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    // Valid until this object is destroyed.
    std::string_view bytes() const noexcept {
        return {static_cast<const char*>(data_), static_cast<std::size_t>(size_)};
    }

private:
    MappedFile(void* data, std::uint64_t size) noexcept : data_(data), size_(size) {}
    void unmap() noexcept;

    void* data_ = nullptr;  // owned mapping, or nullptr for an empty file
    std::uint64_t size_ = 0;
};

}  // namespace cachet::snapshot
