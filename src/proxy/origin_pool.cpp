#include "proxy/origin_pool.hpp"

#include <algorithm>

#include "proxy/origin_connection.hpp"

namespace cachet::proxy {

OriginPool::~OriginPool() = default;

OriginConnection* OriginPool::start(OriginRequest request, LeaderPermit permit,
                                    bool fresh_connection) {
    OriginConnection* connection = nullptr;
    // A drilled refusal or answer needs a connection of its own that never connects.
    if (!fresh_connection && !opens_no_socket(request.drill) && !idle_.empty()) {
        connection = idle_.back();  // most recently used: least likely to have timed out
        idle_.pop_back();
    } else {
        connection = new OriginConnection(*this);  // owns itself; freed by its close callbacks
    }
    busy_.push_back(connection);
    connection->start(std::move(request), std::move(permit));
    return connection;
}

void OriginPool::park(OriginConnection& connection) {
    busy_.erase(std::remove(busy_.begin(), busy_.end(), &connection), busy_.end());
    if (closing_ || idle_.size() >= settings().keepalive) {
        connection.close();
        return;
    }
    idle_.push_back(&connection);
}

void OriginPool::forget(OriginConnection& connection) {
    busy_.erase(std::remove(busy_.begin(), busy_.end(), &connection), busy_.end());
    idle_.erase(std::remove(idle_.begin(), idle_.end(), &connection), idle_.end());
}

bool OriginPool::should_log_tls_failure(Millis now) noexcept {
    constexpr Millis kEvery = 10'000;
    if (tls_failure_logged_ != 0 && now - tls_failure_logged_ < kEvery) return false;
    tls_failure_logged_ = now;
    return true;
}

void OriginPool::close_all() {
    closing_ = true;
    for (OriginConnection* c : idle_) c->close();
    idle_.clear();
    std::vector<OriginConnection*> busy = std::move(busy_);
    for (OriginConnection* c : busy) c->close();
}

}  // namespace cachet::proxy
