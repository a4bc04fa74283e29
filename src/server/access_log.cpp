#include "server/access_log.hpp"

#include <ctime>
#include <utility>

#include "server/access_log_writer.hpp"

namespace cachet::server {

AccessLog::AccessLog(uv_loop_t* loop, AccessLogWriter& writer, unsigned worker,
                     AccessLogFormat format)
    : loop_(loop), writer_(writer), worker_(worker), format_(format) {
    uv_timer_init(loop_, &flush_timer_);
    flush_timer_.data = this;
}

AccessLog::~AccessLog() { flush(); }

void AccessLog::write(const LoggedRequest& request, const LoggedAnswer& answer) noexcept {
    char* room = room_for_line();
    if (room == nullptr) {
        writer_.count_dropped(worker_);
        return;
    }
    time_.set(wall_ms());
    const bool first = buffer_->size == 0;
    buffer_->size += format_line(format_, request, answer, time_, room);
    ++buffer_->lines;
    if (first && !closed_) {
        uv_timer_start(
            &flush_timer_, [](uv_timer_t* t) { static_cast<AccessLog*>(t->data)->flush(); },
            kFlushInterval, 0);
    }
}

char* AccessLog::room_for_line() noexcept {
    if (buffer_ != nullptr && buffer_->room() < kMaxLine) flush();
    // None: every buffer of this worker's is with the writer; one comes back once written.
    if (buffer_ == nullptr) buffer_ = writer_.take_empty(worker_);
    return buffer_ != nullptr ? buffer_->end() : nullptr;
}

void AccessLog::flush() noexcept {
    if (!closed_) uv_timer_stop(&flush_timer_);
    writer_.submit(std::exchange(buffer_, nullptr));
}

void AccessLog::close() noexcept {
    flush();
    if (closed_) return;
    closed_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&flush_timer_), nullptr);
}

std::int64_t AccessLog::wall_ms() noexcept {
    const std::uint64_t tick = uv_now(loop_);
    if (tick != tick_) {
        tick_ = tick;
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        wall_ms_ = std::int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
    }
    return wall_ms_;
}

}  // namespace cachet::server
