#include "harness/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

extern char** environ;

namespace cachet::integration {
namespace {

// The coalescing tests open hundreds of sockets here and in cachet, which inherits this limit.
void raise_fd_limit_once() {
    static const bool raised = [] {
        rlimit lim{};
        if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
            lim.rlim_cur = lim.rlim_max;
            setrlimit(RLIMIT_NOFILE, &lim);
        }
        return true;
    }();
    (void)raised;
}

ExitStatus decode(int wait_status) {
    ExitStatus s;
    if (WIFEXITED(wait_status)) {
        s.exited = true;
        s.code = WEXITSTATUS(wait_status);
    } else if (WIFSIGNALED(wait_status)) {
        s.signal = WTERMSIG(wait_status);
    }
    return s;
}

}  // namespace

std::string ExitStatus::describe() const {
    if (exited) return "exited with status " + std::to_string(code);
    std::string out = "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    if (killed) out += " after it ignored SIGTERM";
    return out;
}

Process::Process(std::vector<std::string> argv, Options options) : argv_(std::move(argv)) {
    raise_fd_limit_once();
    int out_pipe[2];
    int err_pipe[2] = {-1, -1};
    if (pipe2(out_pipe, O_CLOEXEC) != 0) throw HarnessError("pipe2 failed");
    if (options.capture_stderr && pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw HarnessError("pipe2 failed");
    }
    if (pipe2(wake_fds_, O_CLOEXEC) != 0) throw HarnessError("pipe2 failed");

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    if (options.capture_stderr)
        posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // The child starts with default signal dispositions, whatever the test process set.
    sigset_t all;
    sigfillset(&all);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<char*> args;
    for (auto& a : argv_) args.push_back(a.data());
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(out_pipe[1]);
    if (options.capture_stderr) close(err_pipe[1]);
    stdout_fd_ = out_pipe[0];
    stderr_fd_ = err_pipe[0];
    if (rc != 0) {
        pid_ = -1;
        close(stdout_fd_);
        if (stderr_fd_ >= 0) close(stderr_fd_);
        close(wake_fds_[0]);
        close(wake_fds_[1]);
        throw HarnessError("cannot spawn " + argv_[0] + ": " + std::strerror(rc));
    }
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    reader_ = std::thread([this] { drain(); });
}

Process::~Process() {
    try {
        stop();
    } catch (const HarnessError&) {
        // Nothing more can be done for a child that survives SIGKILL; never throw from here.
    }
    write(wake_fds_[1], "x", 1);
    if (reader_.joinable()) reader_.join();
    for (int fd : {stdout_fd_, stderr_fd_, pidfd_, wake_fds_[0], wake_fds_[1]}) {
        if (fd >= 0) close(fd);
    }
}

void Process::drain() noexcept {
    bool out_open = true;
    bool err_open = stderr_fd_ >= 0;
    char buf[16384];
    while (out_open || err_open) {
        pollfd fds[3] = {{out_open ? stdout_fd_ : -1, POLLIN, 0},
                         {err_open ? stderr_fd_ : -1, POLLIN, 0},
                         {wake_fds_[0], POLLIN, 0}};
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[2].revents != 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            std::lock_guard lock(mutex_);
            if (n <= 0) {
                (i == 0 ? out_open : err_open) = false;
                if (i == 0) out_closed_ = true;
            } else {
                // Bounded: a chatty child cannot exhaust the test's memory.
                std::string& sink = i == 0 ? out_ : err_;
                if (sink.size() < (4u << 20)) sink.append(buf, static_cast<std::size_t>(n));
            }
            changed_.notify_all();
        }
    }
    std::lock_guard lock(mutex_);
    out_closed_ = true;
    drained_ = true;
    changed_.notify_all();
}

bool Process::wait_drained(Deadline deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline.at(), [this] { return drained_; });
}

std::optional<std::string> Process::wait_for_line(std::string_view prefix, Deadline deadline) {
    std::unique_lock lock(mutex_);
    std::size_t scanned = 0;
    while (true) {
        std::size_t start = scanned;
        while (true) {
            std::size_t end = out_.find('\n', start);
            if (end == std::string::npos) break;
            std::string_view line(out_.data() + start, end - start);
            if (line.substr(0, prefix.size()) == prefix) return std::string(line);
            start = end + 1;
        }
        scanned = start;
        if (out_closed_) return std::nullopt;
        if (changed_.wait_until(lock, deadline.at()) == std::cv_status::timeout &&
            deadline.expired()) {
            return std::nullopt;
        }
    }
}

std::optional<ExitStatus> Process::wait_exit(Deadline deadline) {
    if (status_) return status_;
    if (pid_ < 0) return std::nullopt;
    while (true) {
        int st = 0;
        pid_t r = waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = decode(st);
            return status_;
        }
        if (r < 0 && errno != EINTR) {
            status_ = ExitStatus{};  // not our child any more: nothing left to wait for
            return status_;
        }
        if (deadline.expired()) return std::nullopt;
        if (pidfd_ >= 0) {
            pollfd p{pidfd_, POLLIN, 0};
            poll(&p, 1, deadline.poll_ms());
        } else {
            // No pidfd (old kernel): re-check every 10 ms, still bounded by the deadline.
            timespec ts{0, 10'000'000};
            nanosleep(&ts, nullptr);
        }
    }
}

ExitStatus Process::stop(Clock::duration grace) {
    if (status_) return *status_;
    if (pid_ < 0) return ExitStatus{};
    kill(pid_, SIGTERM);
    if (auto s = wait_exit(Deadline::after(grace))) return *s;
    kill(pid_, SIGKILL);
    auto s = wait_exit(Deadline::after(10s));
    if (!s) throw HarnessError("child " + std::to_string(pid_) + " survived SIGKILL");
    status_->killed = true;
    return *status_;
}

std::string Process::stdout_text() const {
    std::lock_guard lock(mutex_);
    return out_;
}

std::string Process::stderr_text() const {
    std::lock_guard lock(mutex_);
    return err_;
}

RunResult run_to_exit(std::vector<std::string> argv, Clock::duration timeout) {
    Process child(std::move(argv), Process::Options{.capture_stderr = true});
    RunResult result;
    if (auto s = child.wait_exit(Deadline::after(timeout))) {
        result.status = *s;
    } else {
        result.timed_out = true;
        result.status = child.stop(1s);
    }
    // The streams end when the child is gone; wait (bounded) for the reader to see EOF.
    child.wait_drained(Deadline::after(2s));
    result.out = child.stdout_text();
    result.err = child.stderr_text();
    return result;
}

}  // namespace cachet::integration
