#include "proxy/drill.hpp"

namespace cachet::proxy {

std::optional<DrillKind> parse_drill_kind(std::string_view text) noexcept {
    for (std::size_t slot = 0; slot < kDrillKindCount; ++slot) {
        if (text == name(kind_at(slot))) return kind_at(slot);
    }
    return std::nullopt;
}

DrillKind kind_of(DrillActionKind action) noexcept {
    switch (action) {
    case DrillActionKind::none: return DrillKind::none;
    case DrillActionKind::refuse: return DrillKind::down;
    case DrillActionKind::delay: return DrillKind::slow;
    case DrillActionKind::answer: return DrillKind::error;
    case DrillActionKind::cut_after: return DrillKind::reset;
    }
    return DrillKind::none;
}

bool affects(std::uint32_t rate_ppm, std::uint64_t n) noexcept {
    // Request n is affected when n * rate starts a new whole step: (n * rate) mod 1 < rate.
    // Computed on n mod kRateScale, since (n * r) mod S == ((n mod S) * r) mod S: no overflow.
    const std::uint64_t phase = (n % kRateScale) * rate_ppm % kRateScale;
    return phase < rate_ppm;
}

DrillAction decide(const Drill& drill, Millis now, std::uint64_t n) noexcept {
    if (!running(drill, now) || !affects(drill.rate_ppm, n)) return {};
    switch (drill.kind) {
    case DrillKind::none: return {};
    case DrillKind::down: return {DrillActionKind::refuse, 0};
    case DrillKind::slow: return {DrillActionKind::delay, drill.latency};
    case DrillKind::error: return {DrillActionKind::answer, drill.status};
    case DrillKind::reset: return {DrillActionKind::cut_after, drill.cut_after};
    }
    return {};
}

namespace {

// The reason phrase clients see (cachet relays the origin's): the usual one for the usual
// error statuses, "Drill" for the rest.
std::string_view reason_phrase(std::uint16_t status) noexcept {
    switch (status) {
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Drill";
    }
}

}  // namespace

std::string drill_response(std::uint16_t status, std::string_view origin_name) {
    const std::string body = "cachet drill: origin \"" + std::string(origin_name) + "\" answers " +
                             std::to_string(status) + "\n";
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
           "\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Length: " +
           std::to_string(body.size()) +
           "\r\n"
           "Connection: close\r\n"
           "\r\n" +
           body;
}

}  // namespace cachet::proxy
