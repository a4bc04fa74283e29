#include "snapshot/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>

namespace cachet::snapshot {
namespace {

constexpr double mebibyte = 1024.0 * 1024.0;
constexpr int bar_width = 20;
// Carriage return, then erase to the end of the line (ECMA-48 EL).
constexpr const char* erase_line = "\r\x1b[K";

bool is_terminal(std::FILE* stream) { return stream != nullptr && isatty(fileno(stream)) == 1; }

std::string fixed1(double value) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.1f", value);
    return text.data();
}

}  // namespace

Progress::Progress(std::string label, std::FILE* stream)
    : Progress(std::move(label), stream, is_terminal(stream), [] { return Clock::now(); }) {}

Progress::Progress(std::string label, std::FILE* stream, bool enabled, Now now)
    : label_(std::move(label)), stream_(stream), enabled_(enabled), now_(std::move(now)) {
    if (enabled_) started_ = now_();
}

void Progress::maybe_draw() {
    checked_at_ = done_;
    const Clock::time_point now = now_();
    if (drawn_ && now - drawn_at_ < redraw_interval) return;
    std::fputs(erase_line, stream_);
    std::fputs(line(now).c_str(), stream_);
    std::fflush(stream_);
    drawn_ = true;
    drawn_at_ = now;
}

std::string Progress::line(Clock::time_point now) const {
    std::string text = label_;
    if (total_ > 0) {
        const double fraction = std::min(1.0, static_cast<double>(done_) / total_);
        const int filled = static_cast<int>(fraction * bar_width);
        text += " [" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "]";
        text += "  " + fixed1(done_ / mebibyte) + " / " + fixed1(total_ / mebibyte) + " MiB";
        text += "  " + std::to_string(static_cast<int>(fraction * 100)) + "%";
    } else {
        text += "  " + fixed1(done_ / mebibyte) + " MiB";
    }
    const double seconds = std::chrono::duration<double>(now - started_).count();
    if (seconds > 0) text += "  " + fixed1(done_ / mebibyte / seconds) + " MiB/s";
    return text;
}

void Progress::finish() {
    if (!drawn_) return;
    std::fputs(erase_line, stream_);
    std::fflush(stream_);
    drawn_ = false;
}

}  // namespace cachet::snapshot
