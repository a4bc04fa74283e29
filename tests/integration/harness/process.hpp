#pragma once
// A child process of the test: spawned with posix_spawn, its stdout (and stderr when asked) drained
// by a thread so it can never block on a full pipe, stopped by PID with SIGTERM and, after a
// bounded wait, SIGKILL. The destructor always reaps it.
#include <sys/types.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/deadline.hpp"

namespace cachet::integration {

struct ExitStatus {
    bool exited = false;  // exited normally with `code`
    int code = -1;
    int signal = 0;       // the signal that ended it, when !exited
    bool killed = false;  // we sent SIGKILL after SIGTERM was not enough
    bool clean() const noexcept { return exited && code == 0; }
    std::string describe() const;
};

class Process {
public:
    struct Options {
        bool capture_stderr = false;  // otherwise stderr is the test's (sanitizer reports show)
    };
    // Throws HarnessError when the program cannot be spawned.
    explicit Process(std::vector<std::string> argv, Options options);
    explicit Process(std::vector<std::string> argv) : Process(std::move(argv), Options{}) {}
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process();

    pid_t pid() const noexcept { return pid_; }
    // The first stdout line that starts with prefix; nullopt when stdout closed or the deadline
    // passed first.
    std::optional<std::string> wait_for_line(std::string_view prefix, Deadline deadline);
    // The exit status if the child exits before the deadline.
    std::optional<ExitStatus> wait_exit(Deadline deadline);
    // SIGTERM, wait up to `grace`, then SIGKILL; reaps. Idempotent.
    ExitStatus stop(Clock::duration grace = 5s);

    // True once both streams reached EOF (the child and anything it spawned are gone).
    bool wait_drained(Deadline deadline);
    std::string stdout_text() const;
    std::string stderr_text() const;

private:
    void drain() noexcept;  // the reader thread

    std::vector<std::string> argv_;
    pid_t pid_ = -1;
    int pidfd_ = -1;
    int stdout_fd_ = -1;
    int stderr_fd_ = -1;
    int wake_fds_[2] = {-1, -1};  // tells the reader thread to give up
    std::optional<ExitStatus> status_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::string out_;          // guarded by mutex_
    std::string err_;          // guarded by mutex_
    bool out_closed_ = false;  // guarded by mutex_
    bool drained_ = false;     // guarded by mutex_: the reader thread is done
    std::thread reader_;
};

struct RunResult {
    ExitStatus status;
    bool timed_out = false;
    std::string out;
    std::string err;
};
// Runs a program to completion (killing it at the deadline) and captures both streams.
RunResult run_to_exit(std::vector<std::string> argv, Clock::duration timeout);

}  // namespace cachet::integration
