#include "snapshot/leftover_temps.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using cachet::snapshot::remove_leftover_temps;
using cachet::snapshot::temp_file_pid;

TEST_CASE("temp_file_pid: only a writer's temporary file of that base has a pid") {
    CHECK(temp_file_pid("store.snapshot.tmp-4242-0", "store.snapshot") == 4242);
    CHECK(temp_file_pid("store.snapshot.tmp-7-13", "store.snapshot") == 7);
    CHECK_FALSE(temp_file_pid("store.snapshot", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("other.snapshot.tmp-4242-0", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("store.snapshot.tmp-4242", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("store.snapshot.tmp-4242-", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("store.snapshot.tmp--0", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("store.snapshot.tmp-0-0", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("store.snapshot.tmp-12a-0", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("store.snapshot.tmp-99999999999999999999-0", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("store.snapshot.tmp-1-0.bak", "store.snapshot"));
    CHECK_FALSE(temp_file_pid("xstore.snapshot.tmp-1-0", "store.snapshot"));
}

namespace {

// A pid that was a process of ours and is no more (reaped, so it cannot be a zombie).
pid_t finished_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    REQUIRE(child > 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    return child;
}

void touch(const std::filesystem::path& path) { std::ofstream(path) << "partial"; }

}  // namespace

TEST_CASE("remove_leftover_temps: a gone process's file goes; a running one's and others stay") {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("cachet-leftovers-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path snapshot = dir / "store.snapshot";
    const fs::path gone = dir / ("store.snapshot.tmp-" + std::to_string(finished_pid()) + "-0");
    const fs::path running = dir / ("store.snapshot.tmp-" + std::to_string(::getppid()) + "-3");
    const fs::path mine = dir / ("store.snapshot.tmp-" + std::to_string(::getpid()) + "-1");
    const fs::path other = dir / ("other.snapshot.tmp-" + std::to_string(finished_pid()) + "-0");
    for (const fs::path& p : {snapshot, gone, running, mine, other}) touch(p);

    CHECK(remove_leftover_temps(snapshot.string()) == 1);
    CHECK_FALSE(fs::exists(gone));
    CHECK(fs::exists(snapshot));
    CHECK(fs::exists(running));  // the parent runs: maybe another writer, left alone
    CHECK(fs::exists(mine));     // this process's own writers are not leftovers
    CHECK(fs::exists(other));    // another file's
    CHECK(remove_leftover_temps(snapshot.string()) == 0);
    CHECK(remove_leftover_temps((dir / "missing-dir" / "x.snapshot").string()) == 0);
    fs::remove_all(dir);
}
