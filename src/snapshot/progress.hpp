#pragma once
// A one-line progress bar for long snapshot work (loading, verifying, merging, saving):
//
//   verifying [##########..........]  512.0 / 1024.0 MiB  50%  1840.2 MiB/s
//
// Drawn only when its stream is a terminal: on a pipe or a file it writes nothing, so logs
// and scripts never see it. Redrawn at most 10 times a second, and erased by finish().
// One thread uses it: the one doing the work.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace cachet::snapshot {

class Progress {
public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;

    // Draws on `stream` when isatty() says it is a terminal.
    explicit Progress(std::string label, std::FILE* stream = stderr);
    // Draws when `enabled`, reading the time from `now` (tests choose both).
    Progress(std::string label, std::FILE* stream, bool enabled, Now now);
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    ~Progress() { finish(); }

    bool enabled() const noexcept { return enabled_; }
    // Work the bar counts towards; readers add their file's size (twice when they pass over
    // it twice). 0 in all: the bar shows bytes and speed, without a total.
    void add_total(std::uint64_t bytes) noexcept { total_ += bytes; }
    // `bytes` more are done.
    void advance(std::uint64_t bytes) {
        done_ += bytes;
        if (enabled_ && done_ - checked_at_ >= check_every) maybe_draw();
    }
    // Erases the bar (when one was drawn). Later advances draw again.
    void finish();

    std::uint64_t done() const noexcept { return done_; }
    std::uint64_t total() const noexcept { return total_; }

private:
    // The clock is read once per this many bytes, not once per record.
    static constexpr std::uint64_t check_every = 256 * 1024;
    static constexpr Clock::duration redraw_interval = std::chrono::milliseconds(100);

    void maybe_draw();
    std::string line(Clock::time_point now) const;

    std::string label_;
    std::FILE* stream_;
    bool enabled_;
    Now now_;
    Clock::time_point started_{};  // when the bar was made: the speed's start
    Clock::time_point drawn_at_{};
    bool drawn_ = false;  // a bar is on the screen
    std::uint64_t done_ = 0;
    std::uint64_t total_ = 0;
    std::uint64_t checked_at_ = 0;  // done_ when the clock was last read
};

}  // namespace cachet::snapshot
