#pragma once
// /readyz?origins=1: a TCP connect to the origin within the connect timeout, on the admin
// loop. The probe owns its handles and frees itself once they are closed.
#include <sys/socket.h>

#include <functional>
#include <string>

#include <uv.h>

#include "util/time.hpp"

namespace cachet::admin {

class OriginProbe {
public:
    // `done(error)`: empty when the connect succeeded, else why it did not. Called once,
    // on the loop, unless cancel() comes first.
    using Done = std::function<void(std::string error)>;
    static OriginProbe* start(uv_loop_t* loop, const sockaddr_storage& address, Millis timeout,
                              Done done);
    void cancel() noexcept;

private:
    OriginProbe() = default;
    ~OriginProbe() = default;
    void finish(std::string error);

    uv_tcp_t tcp_;
    uv_timer_t timer_;
    uv_connect_t connect_;
    Done done_;
    int open_handles_ = 0;
    bool finished_ = false;
};

}  // namespace cachet::admin
