#pragma once
// Where the access log's lines go: one thread that writes the buffers the workers hand it,
// in the order each worker handed them, to stdout or to a file opened for appending. The
// workers never write(2) nor wait: a worker formats into a buffer of its own (AccessLog,
// access_log.hpp) and hands it over full, or after 100 ms, taking a lock once per buffer,
// never once per line.
//
// Memory is bounded: each worker has at most kBuffersPerWorker buffers of kBufferSize bytes,
// made as they are first needed and reused after. When all of a worker's buffers are waiting
// here (the disk or the reader of stdout is slower than the requests), the worker drops
// lines and counts them; the writer logs the count (util/log.hpp), at most once a second.
//
// reopen() (SIGHUP) has the writer open its path again, so that a log moved away by rotation
// is followed by a new file; stop() writes what was handed over and ends the thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/result.hpp"

struct iovec;  // <sys/uio.h>

namespace cachet::server {

// Whole lines, one worker's, in the order it wrote them.
struct AccessLogBuffer {
    static constexpr std::size_t kCapacity = 64u << 10;

    char* end() noexcept { return bytes.get() + size; }
    std::size_t room() const noexcept { return kCapacity - size; }

    std::unique_ptr<char[]> bytes = std::make_unique<char[]>(kCapacity);
    std::size_t size = 0;
    std::uint32_t lines = 0;
    unsigned worker = 0;
};

class AccessLogWriter {
public:
    static constexpr unsigned kBuffersPerWorker = 16;  // 1 MiB of lines per worker at most

    // `destination` is "stdout" or the path of a file (created, appended to). The error
    // names the path and why it cannot be opened. Starts the thread.
    static tl::expected<std::unique_ptr<AccessLogWriter>, std::string> open(
        std::string_view destination, unsigned workers);
    ~AccessLogWriter();  // stop(), however long it takes
    AccessLogWriter(const AccessLogWriter&) = delete;
    AccessLogWriter& operator=(const AccessLogWriter&) = delete;

    // --- a worker's thread, for its own buffers ---
    // An empty buffer of this worker's, or null when all of them are handed over and not yet
    // written: the caller drops its line. Without a lock when there is none to take.
    AccessLogBuffer* take_empty(unsigned worker) noexcept;
    // Hands `buffer` over to be written (one that holds nothing goes back to the free ones).
    void submit(AccessLogBuffer* buffer) noexcept;
    void count_dropped(unsigned worker) noexcept;

    // --- any thread ---
    // The writer opens the file again after what it was handed so far (a no-op for stdout);
    // if that fails it logs why and goes on with the file it has.
    void reopen() noexcept;
    // Writes everything handed over and ends the thread; idempotent. False when that took
    // longer than `patience` (a write blocked on a reader of stdout that reads nothing): the
    // thread is then left to the process's exit, and this object must not be destroyed.
    bool stop(std::chrono::milliseconds patience) noexcept;
    // Lines lost so far: dropped by workers, or not written because a write failed.
    std::uint64_t lost() const noexcept;

private:
    AccessLogWriter(int fd, std::string path, unsigned workers);
    void run() noexcept;
    void write_out(std::span<AccessLogBuffer* const> batch) noexcept;
    bool write_all(const ::iovec* vectors, int count) noexcept;
    void reopen_now() noexcept;
    void report_lost(bool final) noexcept;

    // One worker's share: its buffers, and what it dropped.
    struct Lane {
        std::vector<std::unique_ptr<AccessLogBuffer>> owned;  // guarded by mutex_
        std::vector<AccessLogBuffer*> empty;                  // guarded by mutex_
        // Empty buffers plus those not made yet: what take_empty() may hand out. Written
        // under mutex_, read without it.
        std::atomic<unsigned> available{kBuffersPerWorker};
        std::atomic<std::uint64_t> dropped{0};  // written by the worker only
    };

    const std::string path_;  // empty: stdout
    int fd_;                  // the writer thread's, once it runs
    std::vector<Lane> lanes_;
    std::atomic<std::uint64_t> failed_lines_{0};  // the writer thread's

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<AccessLogBuffer*> queue_;  // guarded by mutex_: handed over, in order
    bool reopen_requested_ = false;        // guarded by mutex_
    std::size_t reopen_after_ = 0;         // guarded by mutex_: queue_'s length at the request
    bool stopping_ = false;                // guarded by mutex_
    bool finished_ = false;                // guarded by mutex_: the thread has written all

    std::uint64_t reported_lost_ = 0;  // the writer thread's
    std::int64_t last_report_ms_ = 0;  // the writer thread's
    bool write_failing_ = false;       // the writer thread's: the last write failed
    std::thread thread_;
};

}  // namespace cachet::server
