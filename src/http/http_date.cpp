// HTTP-date (RFC 9110 §5.6.7), parsed and formatted without libc time functions, locale
// or allocation. Three formats are accepted, as a recipient MUST (RFC 9110 §5.6.7):
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"
//   asctime      "Sun Nov  6 08:49:37 1994"
// Choices made here:
// - Day and month names and "GMT" match case-insensitively, and no zone but GMT is
//   accepted (both RFC 9111 §4.2).
// - The day name is checked to be a day name but not against the date: a wrong one
//   does not make the instant ambiguous.
// - A leap second (:60) is read as :59, the nearest representable time that is not later
//   than the one sent (RFC 9111 §4.2).
// Calendar arithmetic is <chrono>'s proleptic Gregorian calendar (sys_days, year_month_day,
// weekday, hh_mm_ss): constexpr value types, so parsing and formatting allocate nothing.
#include "http/http_date.hpp"
#include "http/tokens.hpp"

#include <algorithm>
#include <chrono>

#include "http/header_view.hpp"

namespace cachet::http {
namespace {

namespace chrono = std::chrono;

constexpr std::array<std::string_view, 7> short_days = {"Sun", "Mon", "Tue", "Wed",
                                                        "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> long_days = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Resolving an RFC 850 year compares dates before their day is checked against the month.
// That relies on the conversion of a year_month_day whose year and month are valid being
// linear in the day even when !ok() ([time.cal.ymd.nonmembers]: y/m/1 + (d - 1)).
static_assert(chrono::sys_days{chrono::year{2023} / 2 / 29} ==
              chrono::sys_days{chrono::year{2023} / 3 / 1});
static_assert(chrono::sys_days{chrono::year{1994} / 11 / 0} ==
              chrono::sys_days{chrono::year{1994} / 10 / 31});
static_assert(chrono::sys_days{chrono::year{1970} / 1 / 1}.time_since_epoch().count() == 0);

// The range format_http_date can write with a four-digit year.
constexpr Seconds min_time =
    chrono::sys_seconds{chrono::sys_days{chrono::year{0} / chrono::January / 1}}
        .time_since_epoch()
        .count();
constexpr Seconds max_time =
    chrono::sys_seconds{chrono::sys_days{chrono::year{9999} / chrono::December / 31} +
                        chrono::days{1} - chrono::seconds{1}}
        .time_since_epoch()
        .count();

// The fields as read; only to_checked_seconds validates them.
struct DateFields {
    int year = 0;
    int month = 0;  // 1..12
    int day = 0;    // 0..99 as read, checked against the month once the year is known
    int hour = 0;
    int minute = 0;
    int second = 0;
    bool two_digit_year = false;  // RFC 850: `year` is 0..99 until resolved
};

constexpr chrono::year_month_day date_of(const DateFields& f) noexcept {
    return chrono::year{f.year} / chrono::month{static_cast<unsigned>(f.month)} /
           chrono::day{static_cast<unsigned>(f.day)};
}

// Also defined for a day outside its month, linearly (see the static_asserts above).
constexpr Seconds to_seconds(const DateFields& f) noexcept {
    const chrono::sys_seconds t = chrono::sys_days{date_of(f)} + chrono::hours{f.hour} +
                                  chrono::minutes{f.minute} + chrono::seconds{f.second};
    return t.time_since_epoch().count();
}

constexpr DateFields civil_from_seconds(Seconds t) noexcept {
    const chrono::sys_seconds time{chrono::seconds{t}};
    const chrono::sys_days days = chrono::floor<chrono::days>(time);
    const chrono::year_month_day date{days};
    const chrono::hh_mm_ss time_of_day{time - days};
    DateFields f;
    f.year = static_cast<int>(date.year());
    f.month = static_cast<int>(static_cast<unsigned>(date.month()));
    f.day = static_cast<int>(static_cast<unsigned>(date.day()));
    f.hour = static_cast<int>(time_of_day.hours().count());
    f.minute = static_cast<int>(time_of_day.minutes().count());
    f.second = static_cast<int>(time_of_day.seconds().count());
    return f;
}

static_assert(civil_from_seconds(951782400).month == 2);  // 2000-02-29 00:00:00
static_assert(civil_from_seconds(951782400).day == 29);
static_assert(civil_from_seconds(-1).year == 1969);  // 1969-12-31 23:59:59
static_assert(civil_from_seconds(-1).second == 59);

bool char_at(std::string_view s, std::size_t pos, char c) noexcept {
    return pos < s.size() && s[pos] == c;
}

// Exactly `count` digits at `pos`.
template <class Int>
bool read_digits(std::string_view s, std::size_t pos, std::size_t count, Int& out) noexcept {
    if (pos + count > s.size()) return false;
    Int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        value = static_cast<Int>(value * 10 + (s[i] - '0'));
    }
    out = value;
    return true;
}

template <std::size_t N>
int find_name(std::string_view text, const std::array<std::string_view, N>& names) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
        if (iequals(text, names[i])) return static_cast<int>(i);
    }
    return -1;
}

bool read_month(std::string_view s, std::size_t pos, DateFields& f) noexcept {
    if (pos + 3 > s.size()) return false;
    f.month = find_name(s.substr(pos, 3), months) + 1;
    return f.month > 0;
}

// "HH:MM:SS" at pos.
bool read_time(std::string_view s, std::size_t pos, DateFields& f) noexcept {
    return read_digits(s, pos, 2, f.hour) && char_at(s, pos + 2, ':') &&
           read_digits(s, pos + 3, 2, f.minute) && char_at(s, pos + 5, ':') &&
           read_digits(s, pos + 6, 2, f.second);
}

bool read_gmt(std::string_view s, std::size_t pos) noexcept {
    return pos + 3 == s.size() && iequals(s.substr(pos), "GMT");
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<DateFields> parse_imf_fixdate(std::string_view s) noexcept {
    DateFields f;
    const bool ok = s.size() == 29 && find_name(s.substr(0, 3), short_days) >= 0 &&
                    char_at(s, 3, ',') && char_at(s, 4, ' ') && read_digits(s, 5, 2, f.day) &&
                    char_at(s, 7, ' ') && read_month(s, 8, f) && char_at(s, 11, ' ') &&
                    read_digits(s, 12, 4, f.year) && char_at(s, 16, ' ') && read_time(s, 17, f) &&
                    char_at(s, 25, ' ') && read_gmt(s, 26);
    if (!ok) return std::nullopt;
    return f;
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<DateFields> parse_rfc850(std::string_view s) noexcept {
    const std::size_t comma = s.find(',');
    if (comma == std::string_view::npos || find_name(s.substr(0, comma), long_days) < 0) {
        return std::nullopt;
    }
    const std::string_view rest = s.substr(comma + 1);  // " 06-Nov-94 08:49:37 GMT"
    DateFields f;
    f.two_digit_year = true;
    const bool ok = rest.size() == 23 && char_at(rest, 0, ' ') && read_digits(rest, 1, 2, f.day) &&
                    char_at(rest, 3, '-') && read_month(rest, 4, f) && char_at(rest, 7, '-') &&
                    read_digits(rest, 8, 2, f.year) && char_at(rest, 10, ' ') &&
                    read_time(rest, 11, f) && char_at(rest, 19, ' ') && read_gmt(rest, 20);
    if (!ok) return std::nullopt;
    return f;
}

// "Sun Nov  6 08:49:37 1994": the day is two digits or a space and one digit.
std::optional<DateFields> parse_asctime(std::string_view s) noexcept {
    if (s.size() != 24) return std::nullopt;
    DateFields f;
    const bool day_ok =
        (char_at(s, 8, ' ') && read_digits(s, 9, 1, f.day)) || read_digits(s, 8, 2, f.day);
    const bool ok = find_name(s.substr(0, 3), short_days) >= 0 && char_at(s, 3, ' ') &&
                    read_month(s, 4, f) && char_at(s, 7, ' ') && day_ok && char_at(s, 10, ' ') &&
                    read_time(s, 11, f) && char_at(s, 19, ' ') && read_digits(s, 20, 4, f.year);
    if (!ok) return std::nullopt;
    return f;
}

std::optional<DateFields> parse_fields(std::string_view text) noexcept {
    const std::string_view s = trim_ows(text);
    if (s.size() == 29 && s[3] == ',') return parse_imf_fixdate(s);
    if (s.size() == 24 && s[3] == ' ') return parse_asctime(s);
    return parse_rfc850(s);
}

// RFC 9110 §5.6.7: a two-digit year that appears to be more than 50 years in the future
// is the most recent past year with those digits. The year is first taken in the century
// of `now`, then moved by a century so that it is no later than now + 50 years while the
// year a century on would be.
int resolve_two_digit_year(const DateFields& f, Seconds now) noexcept {
    DateFields limit = civil_from_seconds(std::clamp(now, min_time, max_time));
    const int century = limit.year / 100 * 100;  // the clamp keeps the year non-negative
    limit.year += 50;
    const Seconds limit_time = to_seconds(limit);
    // An out-of-range day is checked later; the arithmetic is linear in it meanwhile.
    const auto later_than_limit = [&](int year) {
        DateFields d = f;
        d.year = year;
        return to_seconds(d) > limit_time;
    };
    const int year = century + f.year;
    if (later_than_limit(year)) return year - 100;
    if (!later_than_limit(year + 100)) return year + 100;
    return year;
}

std::optional<Seconds> to_checked_seconds(DateFields f) noexcept {
    if (!date_of(f).ok()) return std::nullopt;  // month 1..12, day within that month
    if (f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
    if (f.second == 60) f.second = 59;  // RFC 9111 §4.2: never later than the value sent
    return to_seconds(f);
}

void write_digits(char* out, int value, int count) noexcept {
    for (int i = count - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

void write_name(char* out, std::string_view name) noexcept {
    std::copy(name.begin(), name.end(), out);
}

}  // namespace

std::optional<Seconds> parse_http_date(std::string_view text, Seconds now) noexcept {
    std::optional<DateFields> fields = parse_fields(text);
    if (!fields) return std::nullopt;
    if (fields->two_digit_year) fields->year = resolve_two_digit_year(*fields, now);
    return to_checked_seconds(*fields);
}

std::optional<Seconds> parse_http_date(std::string_view text) noexcept {
    std::optional<DateFields> fields = parse_fields(text);
    if (!fields) return std::nullopt;
    if (fields->two_digit_year) {
        const auto now = chrono::floor<chrono::seconds>(chrono::system_clock::now());
        fields->year = resolve_two_digit_year(*fields, now.time_since_epoch().count());
    }
    return to_checked_seconds(*fields);
}

HttpDateText format_http_date(Seconds t) noexcept {
    t = std::clamp(t, min_time, max_time);
    const DateFields f = civil_from_seconds(t);
    const chrono::weekday weekday{
        chrono::floor<chrono::days>(chrono::sys_seconds{chrono::seconds{t}})};

    HttpDateText out;
    char* p = out.data();
    write_name(p, short_days[weekday.c_encoding()]);
    p[3] = ',';
    p[4] = ' ';
    write_digits(p + 5, f.day, 2);
    p[7] = ' ';
    write_name(p + 8, months[static_cast<std::size_t>(f.month - 1)]);
    p[11] = ' ';
    write_digits(p + 12, f.year, 4);
    p[16] = ' ';
    write_digits(p + 17, f.hour, 2);
    p[19] = ':';
    write_digits(p + 20, f.minute, 2);
    p[22] = ':';
    write_digits(p + 23, f.second, 2);
    p[25] = ' ';
    write_name(p + 26, "GMT");
    return out;
}

}  // namespace cachet::http
