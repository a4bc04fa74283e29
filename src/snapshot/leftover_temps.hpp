#pragma once
// The temporary files of snapshot writers that never finished: a process killed during a
// save leaves "PATH.tmp-PID-N" beside PATH (writer.hpp). A process that will write PATH
// (--persist, a recording, a merge) removes, once as it starts, those whose process is
// gone, so repeated crashes do not fill the disk; a file whose process still runs (another
// cachet saving the same PATH) is left alone. At the start, before the workers run: the
// directory scan is not for a thread that runs beside them (ThreadSanitizer cannot follow
// the descriptor opendir takes, and reports its reuse of a closed socket's number as a race).
#include <sys/types.h>
#include <optional>
#include <string>
#include <string_view>

namespace cachet::snapshot {

// The pid in `name` when it is a temporary file name of a writer of a file called `base`
// ("base.tmp-PID-N", N a number); nullopt for any other name. Pure.
std::optional<pid_t> temp_file_pid(std::string_view name, std::string_view base) noexcept;

// Removes the temporary files of `path` whose writer's process no longer runs. Returns how
// many were removed; errors (an unreadable directory, a file removed meanwhile) are skipped:
// a leftover is only ever wasted space.
std::size_t remove_leftover_temps(const std::string& path);

}  // namespace cachet::snapshot
