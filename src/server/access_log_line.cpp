#include "server/access_log_line.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace cachet::server {
namespace {

// Appends to a fixed buffer, never past its end.
struct LineWriter {
    char* out;
    char* end;

    std::size_t room() const noexcept { return static_cast<std::size_t>(end - out); }
    // Literal text, its size known at compile time: a few moves, no call.
    template <std::size_t N>
    void put(const char (&text)[N]) noexcept {
        constexpr std::size_t n = N - 1;
        if (room() < n) return;
        std::memcpy(out, text, n);
        out += n;
    }
    void put(std::string_view text) noexcept {
        const std::size_t n = std::min(text.size(), room());
        std::memcpy(out, text.data(), n);
        out += n;
    }
    void put(char c) noexcept {
        if (out < end) *out++ = c;
    }
    void put_number(std::uint64_t n) noexcept { out = std::to_chars(out, end, n).ptr; }
    // Microseconds as milliseconds with three decimals: 12345 -> 12.345.
    void put_millis(std::int64_t micros) noexcept {
        const auto us = static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0));
        put_number(us / 1000);
        put('.');
        put_three_digits(static_cast<unsigned>(us % 1000));
    }
    void put_three_digits(unsigned n) noexcept {
        put(static_cast<char>('0' + n / 100));
        put(static_cast<char>('0' + n / 10 % 10));
        put(static_cast<char>('0' + n % 10));
    }
};

enum class Escaping : std::uint8_t {
    json,      // RFC 8259 §7; a byte outside well-formed UTF-8 as \u00XX
    combined,  // as nginx's default escaping: ", \, control bytes and bytes past 0x7E as \xHH
};

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629 §4: no
// overlong forms, no surrogates, nothing past U+10FFFF), or 0 when none starts there.
std::size_t utf8_sequence(std::string_view text) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80;  // the range of the second byte; the others are 80..BF
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    }
    return length;
}

// Printable ASCII that both escapings leave as it is: one load per byte to tell.
constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c <= 0x7E; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return plain;
}();
constexpr bool is_plain(unsigned char c) noexcept { return kPlain[c]; }

// The length of the run of plain bytes at the start of `text`.
std::size_t plain_prefix(std::string_view text) noexcept {
    std::size_t n = 0;
    while (n < text.size() && is_plain(static_cast<unsigned char>(text[n]))) ++n;
    return n;
}

// The escape of one byte that is not plain, into `buffer`.
std::string_view escape_byte(unsigned char c, Escaping escaping, std::array<char, 6>& buffer) {
    constexpr char kLower[] = "0123456789abcdef";
    constexpr char kUpper[] = "0123456789ABCDEF";
    if (escaping == Escaping::combined) {
        buffer = {'\\', 'x', kUpper[c >> 4], kUpper[c & 15]};
        return {buffer.data(), 4};
    }
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\b': return "\\b";
    case '\f': return "\\f";
    default:
        buffer = {'\\', 'u', '0', '0', kLower[c >> 4], kLower[c & 15]};
        return {buffer.data(), 6};
    }
}

// Appends `text` escaped, in at most `cap` bytes; a text that does not fit is cut where a
// whole escape or UTF-8 sequence ends, and ends with "...".
void put_escaped(LineWriter& w, std::string_view text, std::size_t cap,
                 Escaping escaping) noexcept {
    // Most fields (an address, a path, a user agent) are plain and short: one copy.
    if (text.size() <= std::min(cap, w.room()) && plain_prefix(text) == text.size()) {
        std::memcpy(w.out, text.data(), text.size());
        w.out += text.size();
        return;
    }
    const std::size_t widest = escaping == Escaping::json ? 6 : 4;  // one byte, escaped
    char* const limit = w.out + std::min(cap, w.room());
    // Room for the "..." is kept only when the text may not fit.
    char* const stop =
        text.size() * widest <= cap
            ? limit
            : limit - std::min<std::size_t>(3, static_cast<std::size_t>(limit - w.out));
    std::array<char, 6> buffer{};
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t used = 1;
        std::string_view piece;
        bool divisible = false;  // a run of plain bytes may be cut anywhere
        if (is_plain(c)) {
            used = plain_prefix(text.substr(i));
            piece = text.substr(i, used);
            divisible = true;
        } else if (const std::size_t sequence =
                       escaping == Escaping::json && c >= 0x80 ? utf8_sequence(text.substr(i)) : 0;
                   sequence > 0) {
            used = sequence;
            piece = text.substr(i, used);
        } else {
            piece = escape_byte(c, escaping, buffer);
        }
        const auto room = static_cast<std::size_t>(stop - w.out);
        if (piece.size() > room) {
            if (divisible) w.put(piece.substr(0, room));
            w.put("...");
            return;
        }
        w.put(piece);
        i += used;
    }
}

void put_json_string(LineWriter& w, std::string_view text, std::size_t cap) noexcept {
    w.put('"');
    put_escaped(w, text, cap, Escaping::json);
    w.put('"');
}

void put_protocol(LineWriter& w, const LoggedRequest& request) noexcept {
    if (request.version_major == 1 && request.version_minor <= 1) {
        if (request.version_minor == 1)
            w.put("HTTP/1.1");
        else
            w.put("HTTP/1.0");
        return;
    }
    w.put("HTTP/");
    w.put_number(request.version_major);
    w.put('.');
    w.put_number(request.version_minor);
}

// A quoted field of the combined format: "-" when empty, as Apache and nginx write it.
void put_quoted_or_dash(LineWriter& w, std::string_view text, std::size_t cap) noexcept {
    w.put('"');
    if (text.empty())
        w.put('-');
    else
        put_escaped(w, text, cap, Escaping::combined);
    w.put('"');
}

// Room for the newline stays at the end: the writer stops one byte short of kMaxLine.
std::size_t end_line(LineWriter& w, char* start) noexcept {
    *w.out++ = '\n';
    return static_cast<std::size_t>(w.out - start);
}

}  // namespace

void LoggedRequestCopy::assign(const LoggedRequest& request) {
    // Each field as far as a line shows it and one byte more, so that a cut is still seen.
    const std::array<std::string_view, 6> fields = {request.client.substr(0, kMaxClient + 1),
                                                    request.method.substr(0, kMaxMethod + 1),
                                                    request.target.substr(0, kMaxTarget + 1),
                                                    request.host.substr(0, kMaxHost + 1),
                                                    request.user_agent.substr(0, kMaxUserAgent + 1),
                                                    request.referer.substr(0, kMaxReferer + 1)};
    bytes_.clear();
    for (std::string_view field : fields) bytes_ += field;  // a miss-path copy, into kept storage
    std::array<std::string_view, 6> copied;
    std::size_t at = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        copied[i] = std::string_view(bytes_).substr(at, fields[i].size());
        at += fields[i].size();
    }
    view_ = LoggedRequest{copied[0],
                          copied[1],
                          copied[2],
                          copied[3],
                          copied[4],
                          copied[5],
                          request.version_major,
                          request.version_minor};
}

void LineTime::set(std::int64_t unix_ms) noexcept {
    using namespace std::chrono;
    const sys_time<milliseconds> at{milliseconds{unix_ms}};
    const auto second = floor<seconds>(at);
    millisecond_ = static_cast<unsigned>((at - second).count());
    if (second.time_since_epoch().count() == second_) return;
    second_ = second.time_since_epoch().count();
    const auto day = floor<days>(second);
    const year_month_day date{day};
    const hh_mm_ss time{second - day};
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int year = static_cast<int>(date.year());
    const unsigned month = static_cast<unsigned>(date.month());
    const unsigned mday = static_cast<unsigned>(date.day());
    const auto hour = static_cast<long>(time.hours().count());
    const auto minute = static_cast<long>(time.minutes().count());
    const auto sec = static_cast<long>(time.seconds().count());
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ld", year, month, mday, hour,
                  minute, sec);
    std::memcpy(iso_, text, sizeof iso_ - 1);
    std::snprintf(text, sizeof text, "%02u/%s/%04d:%02ld:%02ld:%02ld +0000", mday,
                  kMonths[(month + 11) % 12], year, hour, minute, sec);
    std::memcpy(clf_, text, sizeof clf_ - 1);
}

std::size_t format_json(const LoggedRequest& request, const LoggedAnswer& answer,
                        const LineTime& time, char* out) noexcept {
    LineWriter w{out, out + kMaxLine - 1};
    w.put("{\"time\":\"");
    w.put(time.iso_second());
    w.put('.');
    w.put_three_digits(time.millisecond());
    w.put("Z\",\"client\":");
    put_json_string(w, request.client, kMaxClient);
    if (!request.method.empty()) {
        w.put(",\"method\":");
        put_json_string(w, request.method, kMaxMethod);
        w.put(",\"target\":");
        put_json_string(w, request.target, kMaxTarget);
        w.put(",\"protocol\":\"");
        put_protocol(w, request);
        w.put('"');
    }
    if (!request.host.empty()) {
        w.put(",\"host\":");
        put_json_string(w, request.host, kMaxHost);
    }
    w.put(",\"status\":");
    w.put_number(static_cast<std::uint64_t>(std::max(answer.status, 0)));
    w.put(",\"bytes\":");
    w.put_number(answer.body_bytes);
    w.put(",\"cache\":\"");
    w.put(admin::name(answer.cache));
    w.put('"');
    if (answer.origin_us >= 0) {
        w.put(",\"origin_ms\":");
        w.put_millis(answer.origin_us);
    }
    w.put(",\"duration_ms\":");
    w.put_millis(answer.duration_us);
    if (!request.user_agent.empty()) {
        w.put(",\"user_agent\":");
        put_json_string(w, request.user_agent, kMaxUserAgent);
    }
    if (!request.referer.empty()) {
        w.put(",\"referer\":");
        put_json_string(w, request.referer, kMaxReferer);
    }
    w.put('}');
    return end_line(w, out);
}

std::size_t format_combined(const LoggedRequest& request, const LoggedAnswer& answer,
                            const LineTime& time, char* out) noexcept {
    LineWriter w{out, out + kMaxLine - 1};
    put_escaped(w, request.client, kMaxClient, Escaping::combined);
    w.put(" - - [");
    w.put(time.common_log());
    w.put("] \"");
    if (request.method.empty()) {
        w.put('-');
    } else {
        put_escaped(w, request.method, kMaxMethod, Escaping::combined);
        w.put(' ');
        put_escaped(w, request.target, kMaxTarget, Escaping::combined);
        w.put(' ');
        put_protocol(w, request);
    }
    w.put("\" ");
    w.put_number(static_cast<std::uint64_t>(std::max(answer.status, 0)));
    w.put(' ');
    w.put_number(answer.body_bytes);
    w.put(' ');
    put_quoted_or_dash(w, request.referer, kMaxReferer);
    w.put(' ');
    put_quoted_or_dash(w, request.user_agent, kMaxUserAgent);
    w.put(' ');
    w.put(admin::name(answer.cache));
    w.put(' ');
    if (answer.origin_us >= 0)
        w.put_millis(answer.origin_us);
    else
        w.put('-');
    w.put(' ');
    w.put_millis(answer.duration_us);
    return end_line(w, out);
}

std::size_t format_line(AccessLogFormat format, const LoggedRequest& request,
                        const LoggedAnswer& answer, const LineTime& time, char* out) noexcept {
    return format == AccessLogFormat::combined ? format_combined(request, answer, time, out)
                                               : format_json(request, answer, time, out);
}

}  // namespace cachet::server
