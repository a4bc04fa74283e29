#pragma once
// A worker's clock: wall-clock seconds read at most once per loop iteration. libuv updates
// uv_now() once per iteration (after polling), so comparing it is enough to know whether
// the cached second is current; hits never make a clock syscall of their own.
#include <ctime>

#include <uv.h>

#include "util/time.hpp"

namespace cachet {

class LoopClock {
public:
    explicit LoopClock(uv_loop_t* loop) noexcept : loop_(loop) {}

    Seconds now() noexcept {
        Millis tick = uv_now(loop_);
        if (tick != tick_) {
            tick_ = tick;
            timespec ts{};
            clock_gettime(CLOCK_REALTIME_COARSE, &ts);
            seconds_ = ts.tv_sec;
        }
        return seconds_;
    }
    Millis monotonic_ms() const noexcept { return uv_now(loop_); }

private:
    uv_loop_t* loop_;
    Millis tick_ = ~Millis{0};
    Seconds seconds_ = 0;
};

}  // namespace cachet
