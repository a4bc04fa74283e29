#include "util/log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace cachet::log {
namespace {

// A JSON string's contents (RFC 8259 §7): quotes, backslashes and control bytes escaped.
void append_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out += escaped;
            } else {
                out += c;
            }
        }
    }
}

void append_string(std::string& out, std::string_view text) {
    out += '"';
    append_escaped(out, text);
    out += '"';
}

// RFC 3339 in UTC with milliseconds: 2026-12-03T11:52:00.123Z.
void append_time(std::string& out, std::int64_t unix_ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> at{milliseconds{unix_ms}};
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss time{at - day};
    char text[64];  // room for any value the compiler can imagine in each field
    std::snprintf(
        text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
        static_cast<long>(time.seconds().count()), static_cast<long>(time.subseconds().count()));
    out += text;
}

}  // namespace

std::string_view name(Level level) noexcept {
    switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    }
    return "info";
}

std::string format_line(std::int64_t unix_ms, Level level, std::string_view message,
                        std::initializer_list<Field> fields) {
    std::string out = "{\"time\":\"";
    append_time(out, unix_ms);
    out += "\",\"level\":";
    append_string(out, name(level));
    out += ",\"msg\":";
    append_string(out, message);
    for (const Field& field : fields) {
        out += ',';
        append_string(out, field.key);
        out += ':';
        if (field.is_number)
            out += std::to_string(field.number);
        else
            append_string(out, field.text);
    }
    out += "}\n";
    return out;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
    using namespace std::chrono;
    const auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    const std::string line = format_line(now, level, message, fields);
    // One write: a line under PIPE_BUF never interleaves with another thread's.
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace cachet::log
