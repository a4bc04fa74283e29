#pragma once
// Writes what the socket takes right now, with no write request. A uv_write that completes
// at once still goes through libuv's pending queue and re-arms the socket's epoll watcher
// (one epoll_ctl per response); uv_try_write costs only the writev. Callers queue a
// uv_write for whatever remains.
#include <uv.h>

namespace cachet {

enum class WriteNow : signed char { done, partial, failed };

// Advances `bufs` / `count` past the bytes written; `count` is 0 when all were.
inline WriteNow write_now(uv_stream_t* stream, uv_buf_t*& bufs, unsigned& count) noexcept {
    int n = uv_try_write(stream, bufs, count);
    if (n == UV_EAGAIN) return WriteNow::partial;  // writes already queued, or a full socket
    if (n < 0) return WriteNow::failed;
    auto left = static_cast<std::size_t>(n);
    while (count > 0 && left >= bufs->len) {
        left -= bufs->len;
        ++bufs;
        --count;
    }
    if (count == 0) return WriteNow::done;
    bufs->base += left;
    bufs->len -= left;
    return WriteNow::partial;
}

}  // namespace cachet
