#pragma once
// The configuration the workers run with, as immutable snapshots: SIGHUP replaces the
// snapshot whole (server.cpp), and each worker adopts the new one at the top of a loop turn
// (Worker::adopt_config, woken through its mailbox), so a request is served under one
// configuration from start to end and no setting changes under a running callback.
// A worker keeps its snapshot alive by holding it; an old one goes when the last does.
// Every snapshot made here has its routes' counter slots assigned (admin/route_labels.hpp),
// from one table that lives as long as the process.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "admin/route_labels.hpp"
#include "cachet/config.hpp"

namespace cachet::server {

class ConfigSource {
public:
    explicit ConfigSource(const Config& initial) : current_(labelled(initial)) {}

    // The current snapshot and its generation (which changes with every replace()).
    std::shared_ptr<const Config> current() const {
        std::lock_guard lock(mutex_);
        return current_;
    }
    std::uint64_t generation() const noexcept {
        return generation_.load(std::memory_order_acquire);
    }

    void replace(const Config& next) {
        auto snapshot = labelled(next);
        std::lock_guard lock(mutex_);
        current_ = std::move(snapshot);
        generation_.fetch_add(1, std::memory_order_release);
    }

    // The route label of each counter slot (the admin thread reads it for /metrics).
    const admin::RouteLabels& route_labels() const noexcept { return route_labels_; }

private:
    std::shared_ptr<const Config> labelled(const Config& config) {
        auto copy = std::make_shared<Config>(config);
        route_labels_.assign(copy->routes);
        return copy;
    }

    admin::RouteLabels route_labels_;  // declared first: the initial snapshot uses it
    mutable std::mutex mutex_;
    std::shared_ptr<const Config> current_;  // guarded by mutex_
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace cachet::server
