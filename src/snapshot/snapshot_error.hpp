#pragma once
// A failure of the reader, the writer or `cachet snapshot`: a system call that failed on a
// path (sys_errno), or bytes that are not a valid snapshot (format). Either way `message` is
// one line that names the path, ready for a log or a terminal.
#include <cerrno>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "snapshot/format_error.hpp"

namespace cachet::snapshot {

struct SnapshotError {
    // "cannot open a.snap: No such file or directory",
    // "a.snap: checksum mismatch at offset 1234"
    std::string message;
    int sys_errno = 0;                  // the failed call's errno; 0 when the bytes are at fault
    std::optional<FormatError> format;  // what is wrong with the bytes, and at which offset

    // No file at the path: a first start with --persist, not a damaged snapshot.
    bool file_missing() const noexcept { return sys_errno == ENOENT; }
};

template <class T>
using SnapshotResult = tl::expected<T, SnapshotError>;

// "cannot ACTION PATH: strerror(err)", e.g. system_error("write", "a.snap.tmp-12-1", ENOSPC).
SnapshotError system_error(std::string_view action, std::string_view path, int err);
// "PATH: describe(format)"; without a path, describe(format) alone.
SnapshotError format_error(std::string_view path, const FormatError& format);

}  // namespace cachet::snapshot
