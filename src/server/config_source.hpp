#pragma once
// The configuration the workers run with, as immutable snapshots: SIGHUP replaces the
// snapshot whole (server.cpp), and each worker adopts the new one at the top of a loop turn
// (Worker::adopt_config, woken through its mailbox), so a request is served under one
// configuration from start to end and no setting changes under a running callback.
// A worker keeps its snapshot alive by holding it; an old one goes when the last does.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "cachet/config.hpp"

namespace cachet::server {

class ConfigSource {
public:
    explicit ConfigSource(const Config& initial)
        : current_(std::make_shared<const Config>(initial)) {}

    // The current snapshot and its generation (which changes with every replace()).
    std::shared_ptr<const Config> current() const {
        std::lock_guard lock(mutex_);
        return current_;
    }
    std::uint64_t generation() const noexcept {
        return generation_.load(std::memory_order_acquire);
    }

    void replace(const Config& next) {
        auto snapshot = std::make_shared<const Config>(next);
        std::lock_guard lock(mutex_);
        current_ = std::move(snapshot);
        generation_.fetch_add(1, std::memory_order_release);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Config> current_;  // guarded by mutex_
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace cachet::server
