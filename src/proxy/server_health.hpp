#pragma once
// Passive health of one origin server, shared by every worker: a server that fails
// max_fails times in a row (a connect refused or timed out, a reset or a timeout before
// the response head) is left out of its origin's rotation for fail_timeout, then tried
// again: one more failure leaves it out again, a response head brings it back. Nothing is
// probed: requests are the probes, as in nginx's max_fails / fail_timeout.
#include <atomic>

#include "util/time.hpp"

namespace cachet::proxy {

// Whether a server takes requests. max_fails 0: always (health is not tracked).
constexpr bool in_rotation(unsigned failures, Millis out_until, Millis now,
                           unsigned max_fails) noexcept {
    return max_fails == 0 || failures < max_fails || now >= out_until;
}

class ServerHealth {
public:
    bool in_rotation(Millis now, unsigned max_fails) const noexcept {
        return proxy::in_rotation(failures_.load(std::memory_order_relaxed),
                                  out_until_.load(std::memory_order_relaxed), now, max_fails);
    }

    // A response head arrived: the run of failures ends. Read first, so the common case
    // writes nothing and the line stays shared between the workers' caches.
    void succeeded() noexcept {
        if (failures_.load(std::memory_order_relaxed) != 0)
            failures_.store(0, std::memory_order_relaxed);
    }

    // One failure more; true when it takes the server out of the rotation (it was in).
    bool failed(Millis now, unsigned max_fails, Millis fail_timeout) noexcept {
        const bool was_in = in_rotation(now, max_fails);
        const unsigned failures = failures_.fetch_add(1, std::memory_order_relaxed) + 1;
        if (max_fails == 0 || failures < max_fails) return false;
        out_until_.store(now + fail_timeout, std::memory_order_relaxed);
        return was_in;
    }

    unsigned failures() const noexcept { return failures_.load(std::memory_order_relaxed); }

private:
    std::atomic<unsigned> failures_{0};
    std::atomic<Millis> out_until_{0};
};

}  // namespace cachet::proxy
