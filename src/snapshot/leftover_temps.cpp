#include "snapshot/leftover_temps.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <system_error>

namespace cachet::snapshot {
namespace {

bool all_digits(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

// kill(pid, 0) delivers nothing: ESRCH says no such process. EPERM means one runs that
// is not ours, which may be another writer: left alone.
bool process_gone(pid_t pid) noexcept { return ::kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace

std::optional<pid_t> temp_file_pid(std::string_view name, std::string_view base) noexcept {
    constexpr std::string_view marker = ".tmp-";
    if (name.size() <= base.size() + marker.size() || name.substr(0, base.size()) != base ||
        name.substr(base.size(), marker.size()) != marker)
        return std::nullopt;
    const std::string_view rest = name.substr(base.size() + marker.size());
    const std::size_t dash = rest.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string_view pid_text = rest.substr(0, dash);
    if (!all_digits(pid_text) || !all_digits(rest.substr(dash + 1))) return std::nullopt;
    pid_t pid = 0;
    const auto [end, error] =
        std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
    if (error != std::errc{} || end != pid_text.data() + pid_text.size() || pid <= 0)
        return std::nullopt;
    return pid;
}

std::size_t remove_leftover_temps(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const std::string base = target.filename().string();
    const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::size_t removed = 0;
    std::error_code error;
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
        const std::string name = it->path().filename().string();
        const auto pid = temp_file_pid(name, base);
        if (!pid || *pid == ::getpid() || !process_gone(*pid)) continue;
        std::error_code remove_error;
        if (fs::remove(it->path(), remove_error)) ++removed;
    }
    return removed;
}

}  // namespace cachet::snapshot
