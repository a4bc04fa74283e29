#pragma once
// Every wait in the integration tests has one of these, so a broken cachet fails a test instead of
// hanging the suite.
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace cachet::integration {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class Deadline {
public:
    static Deadline after(Clock::duration d) { return Deadline(Clock::now() + d); }
    explicit Deadline(Clock::time_point at) : at_(at) {}

    Clock::time_point at() const noexcept { return at_; }
    bool expired() const noexcept { return Clock::now() >= at_; }
    // For poll(2): milliseconds left, rounded up, never negative.
    int poll_ms() const noexcept {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(at_ - Clock::now()).count();
        return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000));
    }

private:
    Clock::time_point at_;
};

inline long long ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

// The harness could not do its part (spawn, connect, read a readiness line): the test fails with
// this message through doctest's exception reporting.
class HarnessError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace cachet::integration
