#include "snapshot/snapshot_error.hpp"

#include <cstring>

namespace cachet::snapshot {

SnapshotError system_error(std::string_view action, std::string_view path, int err) {
    std::string message = "cannot ";
    message.append(action).append(" ").append(path).append(": ").append(std::strerror(err));
    return SnapshotError{.message = std::move(message), .sys_errno = err, .format = {}};
}

SnapshotError format_error(std::string_view path, const FormatError& format) {
    std::string message;
    if (!path.empty()) message.append(path).append(": ");
    message.append(describe(format));
    return SnapshotError{.message = std::move(message), .sys_errno = 0, .format = format};
}

}  // namespace cachet::snapshot
