#pragma once
// cachet's log: one JSON object per line on stderr, for a log pipeline to read once cachet
// runs (time, level, msg, then the event's own fields), e.g.
//   {"time":"2026-12-03T11:52:00.123Z","level":"info","msg":"stopping","signal":"SIGTERM"}
// Each line leaves in one write(2), so lines from several threads never interleave. Logs
// are for events (start, stop, failures), never one per request: the access log is its own
// buffered writer. Errors in the command line or the configuration, before anything starts,
// are plain text for the person who typed the command (main.cpp).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace cachet::log {

enum class Level : std::uint8_t { debug, info, warn, error };
std::string_view name(Level level) noexcept;  // "debug", "info", "warn", "error"

// A field of a log line: a string or an integer value.
struct Field {
    Field(std::string_view k, std::string_view v) noexcept : key(k), text(v) {}
    Field(std::string_view k, const char* v) noexcept : key(k), text(v) {}
    Field(std::string_view k, std::int64_t v) noexcept : key(k), number(v), is_number(true) {}
    std::string_view key;
    std::string_view text;
    std::int64_t number = 0;
    bool is_number = false;
};

// The line for an event at `unix_ms` (milliseconds since the epoch), newline included.
std::string format_line(std::int64_t unix_ms, Level level, std::string_view message,
                        std::initializer_list<Field> fields);

// Writes the event's line to stderr, stamped with the current time.
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

}  // namespace cachet::log
