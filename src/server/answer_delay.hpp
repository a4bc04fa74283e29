#pragma once
// The wait before a replayed answer is written (--replay-latency): a libuv timer on the
// connection's loop, never a blocked thread. Made on the connection's first delayed answer
// (most connections never have one) and closed with the connection, which it lives in.
#include <cstdint>
#include <memory>

#include <uv.h>

namespace cachet::server {

class AnswerDelay {
public:
    using Callback = void (*)(void* owner);

    bool active() const noexcept { return active_; }
    // Calls `on_over(owner)` once `ms` have passed.
    void start(uv_loop_t* loop, std::uint64_t ms, void* owner, Callback on_over);
    // Closes the timer when one was made, calling `on_closed(owner)` once it is closed;
    // false: there was none.
    bool close(Callback on_closed) noexcept;

private:
    std::unique_ptr<uv_timer_t> timer_;  // data: this
    void* owner_ = nullptr;
    Callback on_over_ = nullptr;
    Callback on_closed_ = nullptr;
    bool active_ = false;
};

}  // namespace cachet::server
