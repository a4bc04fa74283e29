#pragma once
// A worker's access log: each answered request's line is formatted (access_log_line.hpp) on
// the worker's own thread into a buffer of its own, with no lock and no allocation, and the
// buffer goes to the AccessLogWriter (access_log_writer.hpp) when it is full or 100 ms after
// its first line, whichever comes first. The loop never waits for the log: when the writer
// holds all of this worker's buffers, a line is dropped and counted.
//
// Made by the Worker only when --access-log is not off. With it off, a request costs the
// test of the Worker's null pointer to it and nothing else (the hit path's one branch).
#include <cstdint>

#include <uv.h>

#include "cachet/config.hpp"
#include "server/access_log_line.hpp"
#include "util/time.hpp"

namespace cachet::server {

class AccessLogWriter;
struct AccessLogBuffer;

class AccessLog {
public:
    // Partial buffers are handed over this long after their first line.
    static constexpr Millis kFlushInterval = 100;

    AccessLog(uv_loop_t* loop, AccessLogWriter& writer, unsigned worker, AccessLogFormat format);
    ~AccessLog();  // after close() and the loop's last turn; hands over what is left
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    void write(const LoggedRequest& request, const LoggedAnswer& answer) noexcept;
    // Hands the lines written so far to the writer.
    void flush() noexcept;
    // Flushes and closes the timer (the worker's close_everything); lines written after it
    // are handed over by flush() or the destructor.
    void close() noexcept;

private:
    char* room_for_line() noexcept;
    // Wall-clock milliseconds, read once per loop turn (libuv's uv_now ticks once per turn).
    std::int64_t wall_ms() noexcept;

    uv_loop_t* loop_;
    AccessLogWriter& writer_;
    const unsigned worker_;
    const AccessLogFormat format_;
    uv_timer_t flush_timer_;  // flush_timer_.data == this
    bool closed_ = false;
    AccessLogBuffer* buffer_ = nullptr;  // taken from the writer, until handed back
    LineTime time_;
    std::uint64_t tick_ = ~std::uint64_t{0};
    std::int64_t wall_ms_ = 0;
};

}  // namespace cachet::server
