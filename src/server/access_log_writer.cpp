#include "server/access_log_writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

#include "util/log.hpp"

namespace cachet::server {
namespace {

// The drop count is logged at most this often while lines are being lost.
constexpr std::int64_t kReportIntervalMs = 1'000;

int open_for_append(const std::string& path) noexcept {
    return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

std::int64_t monotonic_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

tl::expected<std::unique_ptr<AccessLogWriter>, std::string> AccessLogWriter::open(
    std::string_view destination, unsigned workers) {
    if (destination == "stdout") {
        return std::unique_ptr<AccessLogWriter>(
            new AccessLogWriter(STDOUT_FILENO, std::string(), workers));
    }
    std::string path(destination);
    const int fd = open_for_append(path);
    if (fd < 0) {
        return tl::unexpected("--access-log: cannot open \"" + path +
                              "\": " + std::strerror(errno));
    }
    return std::unique_ptr<AccessLogWriter>(new AccessLogWriter(fd, std::move(path), workers));
}

AccessLogWriter::AccessLogWriter(int fd, std::string path, unsigned workers)
    : path_(std::move(path)), fd_(fd), lanes_(workers) {
    queue_.reserve(std::size_t{workers} * kBuffersPerWorker);
    for (Lane& lane : lanes_) {
        lane.owned.reserve(kBuffersPerWorker);
        lane.empty.reserve(kBuffersPerWorker);
    }
    last_report_ms_ = monotonic_ms();
    thread_ = std::thread([this] { run(); });
}

AccessLogWriter::~AccessLogWriter() {
    constexpr auto kAsLongAsItTakes = std::chrono::hours(24 * 365);
    stop(std::chrono::duration_cast<std::chrono::milliseconds>(kAsLongAsItTakes));
    if (!path_.empty() && fd_ >= 0) ::close(fd_);
}

AccessLogBuffer* AccessLogWriter::take_empty(unsigned worker) noexcept {
    Lane& lane = lanes_[worker];
    if (lane.available.load(std::memory_order_relaxed) == 0) return nullptr;  // all handed over
    std::lock_guard lock(mutex_);
    AccessLogBuffer* buffer = nullptr;
    if (!lane.empty.empty()) {
        buffer = lane.empty.back();
        lane.empty.pop_back();
    } else if (lane.owned.size() < kBuffersPerWorker) {
        // Made when first needed (most workers use two): 64 KiB, once per buffer for the
        // process's life.
        lane.owned.push_back(std::make_unique<AccessLogBuffer>());
        buffer = lane.owned.back().get();
        buffer->worker = worker;
    } else {
        return nullptr;
    }
    lane.available.store(lane.available.load(std::memory_order_relaxed) - 1,
                         std::memory_order_relaxed);
    return buffer;
}

void AccessLogWriter::submit(AccessLogBuffer* buffer) noexcept {
    if (buffer == nullptr) return;
    std::lock_guard lock(mutex_);
    if (buffer->size == 0) {
        Lane& lane = lanes_[buffer->worker];
        lane.empty.push_back(buffer);
        lane.available.store(lane.available.load(std::memory_order_relaxed) + 1,
                             std::memory_order_relaxed);
        return;
    }
    queue_.push_back(buffer);  // never grows past its reserve: one slot per buffer
    changed_.notify_one();
}

void AccessLogWriter::count_dropped(unsigned worker) noexcept {
    // The worker's own counter: a load and a store, no locked instruction.
    auto& dropped = lanes_[worker].dropped;
    dropped.store(dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void AccessLogWriter::reopen() noexcept {
    std::lock_guard lock(mutex_);
    if (!reopen_requested_) reopen_after_ = queue_.size();
    reopen_requested_ = true;
    changed_.notify_one();
}

bool AccessLogWriter::stop(std::chrono::milliseconds patience) noexcept {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
    if (!changed_.wait_for(lock, patience, [&] { return finished_; })) {
        // Blocked in a write (a reader of stdout that reads nothing): the thread is left to
        // the process's exit, with this object, which the caller must not destroy.
        lock.unlock();
        log::write(log::Level::error, "access log not written out at exit",
                   {{"path", path_.empty() ? std::string_view("stdout") : path_}});
        thread_.detach();
        return false;
    }
    lock.unlock();
    if (thread_.joinable()) thread_.join();
    return true;
}

std::uint64_t AccessLogWriter::lost() const noexcept {
    std::uint64_t total = failed_lines_.load(std::memory_order_relaxed);
    for (const Lane& lane : lanes_) total += lane.dropped.load(std::memory_order_relaxed);
    return total;
}

void AccessLogWriter::run() noexcept {
    std::vector<AccessLogBuffer*> batch;
    batch.reserve(queue_.capacity());
    std::unique_lock lock(mutex_);
    for (;;) {
        // Woken by a buffer, a reopen or the stop; and, while lost lines wait to be
        // reported, once a second.
        const auto woken = [&] { return !queue_.empty() || reopen_requested_ || stopping_; };
        if (lost() == reported_lost_)
            changed_.wait(lock, woken);
        else
            changed_.wait_for(lock, std::chrono::milliseconds(kReportIntervalMs), woken);
        // What was handed over before the reopen goes to the file open before it, what came
        // after to the new one.
        const bool reopen = std::exchange(reopen_requested_, false);
        batch.swap(queue_);
        const std::size_t before_reopen = reopen ? reopen_after_ : batch.size();
        lock.unlock();
        if (reopen) {
            write_out(std::span(batch).first(before_reopen));
            reopen_now();
            write_out(std::span(batch).subspan(before_reopen));
        } else {
            write_out(batch);
        }
        report_lost(false);
        lock.lock();
        for (AccessLogBuffer* buffer : batch) {
            buffer->size = 0;
            buffer->lines = 0;
            Lane& lane = lanes_[buffer->worker];
            lane.empty.push_back(buffer);
            lane.available.store(lane.available.load(std::memory_order_relaxed) + 1,
                                 std::memory_order_relaxed);
        }
        batch.clear();
        if (stopping_ && queue_.empty() && !reopen_requested_) break;
    }
    lock.unlock();
    report_lost(true);
    lock.lock();
    finished_ = true;
    changed_.notify_all();
}

void AccessLogWriter::write_out(std::span<AccessLogBuffer* const> batch) noexcept {
    constexpr int kMaxVectors = 64;  // well under IOV_MAX
    ::iovec vectors[kMaxVectors];
    std::size_t next = 0;
    while (next < batch.size()) {
        int count = 0;
        std::uint64_t lines = 0;
        for (; next < batch.size() && count < kMaxVectors; ++next, ++count) {
            vectors[count] = {batch[next]->bytes.get(), batch[next]->size};
            lines += batch[next]->lines;
        }
        if (write_all(vectors, count)) continue;
        failed_lines_.store(failed_lines_.load(std::memory_order_relaxed) + lines,
                            std::memory_order_relaxed);
    }
}

// The whole of `vectors`, through partial writes and signals; false when the file refuses
// it (the error is logged once until a write succeeds again).
bool AccessLogWriter::write_all(const ::iovec* vectors, int count) noexcept {
    ::iovec rest[64];
    std::memcpy(rest, vectors, sizeof(::iovec) * static_cast<std::size_t>(count));
    ::iovec* at = rest;
    while (count > 0) {
        const ssize_t written = ::writev(fd_, at, count);
        if (written < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking stdout: wait here
                struct pollfd ready {
                    fd_, POLLOUT, 0
                };
                ::poll(&ready, 1, 1'000);
                continue;
            }
            if (!write_failing_) {
                write_failing_ = true;
                log::write(log::Level::error, "access log write failed; dropping its lines",
                           {{"path", path_.empty() ? std::string_view("stdout") : path_},
                            {"error", std::strerror(errno)}});
            }
            return false;
        }
        auto left = static_cast<std::size_t>(written);
        while (count > 0 && left >= at->iov_len) {
            left -= at->iov_len;
            ++at;
            --count;
        }
        if (count > 0) {
            at->iov_base = static_cast<char*>(at->iov_base) + left;
            at->iov_len -= left;
        }
    }
    write_failing_ = false;
    return true;
}

void AccessLogWriter::reopen_now() noexcept {
    if (path_.empty()) return;  // stdout is not reopened
    const int fd = open_for_append(path_);
    if (fd < 0) {
        log::write(log::Level::error, "access log reopen failed; writing to the file open before",
                   {{"path", path_}, {"error", std::strerror(errno)}});
        return;
    }
    ::close(fd_);
    fd_ = fd;
    log::write(log::Level::info, "access log reopened", {{"path", path_}});
}

void AccessLogWriter::report_lost(bool final) noexcept {
    const std::uint64_t total = lost();
    if (total == reported_lost_) return;
    const std::int64_t now = monotonic_ms();
    if (!final && now - last_report_ms_ < kReportIntervalMs) return;
    log::write(log::Level::warn, "access log lines lost: the writer is behind or failing",
               {{"lost", static_cast<std::int64_t>(total - reported_lost_)},
                {"lost_total", static_cast<std::int64_t>(total)}});
    reported_lost_ = total;
    last_report_ms_ = now;
}

}  // namespace cachet::server
