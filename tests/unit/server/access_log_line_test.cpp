#include "server/access_log_line.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace cachet;
using namespace cachet::server;

namespace {

constexpr std::int64_t kAt = 1796298720123;  // 2026-12-03T11:52:00.123Z

LineTime at(std::int64_t unix_ms = kAt) {
    LineTime time;
    time.set(unix_ms);
    return time;
}

LoggedRequest get(std::string_view target = "/a?b=1") {
    LoggedRequest request;
    request.client = "10.0.0.7";
    request.method = "GET";
    request.target = target;
    request.host = "api.example";
    return request;
}

LoggedAnswer hit(std::uint64_t bytes = 1024) {
    return {.status = 200, .body_bytes = bytes, .cache = admin::CacheStatus::hit};
}

LoggedAnswer miss() {
    return {.status = 200,
            .body_bytes = 42,
            .cache = admin::CacheStatus::miss,
            .origin_us = 12'345,
            .duration_us = 13'001};
}

std::string json_line(const LoggedRequest& request, const LoggedAnswer& answer,
                      const LineTime& time = at()) {
    std::string out(kMaxLine, '\0');
    out.resize(format_json(request, answer, time, out.data()));
    return out;
}

std::string combined(const LoggedRequest& request, const LoggedAnswer& answer,
                     const LineTime& time = at()) {
    std::string out(kMaxLine, '\0');
    out.resize(format_combined(request, answer, time, out.data()));
    return out;
}

// One line: a single newline, at its end.
bool one_line(const std::string& line) {
    return !line.empty() && line.back() == '\n' && std::count(line.begin(), line.end(), '\n') == 1;
}

// The line parsed as JSON (simdjson also checks that it is valid UTF-8).
simdjson::dom::element parsed(simdjson::dom::parser& parser, const std::string& line) {
    simdjson::dom::element doc;
    const auto error = parser.parse(line).get(doc);
    REQUIRE_MESSAGE(error == simdjson::SUCCESS, simdjson::error_message(error) << ": " << line);
    return doc;
}

std::string field(simdjson::dom::element doc, const char* name) {
    std::string_view text;
    if (doc[name].get(text) != simdjson::SUCCESS) return "(none)";
    return std::string(text);
}

}  // namespace

TEST_CASE("a hit's JSON line has no origin time, and a duration of 0") {
    CHECK(json_line(get(), hit()) ==
          R"({"time":"2026-12-03T11:52:00.123Z","client":"10.0.0.7","method":"GET",)"
          R"("target":"/a?b=1","protocol":"HTTP/1.1","host":"api.example","status":200,)"
          R"("bytes":1024,"cache":"hit","duration_ms":0.000})"
          "\n");
}

TEST_CASE("a miss's JSON line has the origin time, the duration, the user agent and referer") {
    LoggedRequest request = get("/b");
    request.user_agent = "curl/8.5";
    request.referer = "https://example.com/";
    request.version_minor = 0;
    CHECK(json_line(request, miss()) ==
          R"({"time":"2026-12-03T11:52:00.123Z","client":"10.0.0.7","method":"GET",)"
          R"("target":"/b","protocol":"HTTP/1.0","host":"api.example","status":200,)"
          R"("bytes":42,"cache":"miss","origin_ms":12.345,"duration_ms":13.001,)"
          R"("user_agent":"curl/8.5","referer":"https://example.com/"})"
          "\n");
}

TEST_CASE("the combined line is Apache's and nginx's, then cache status, origin time, duration") {
    LoggedRequest request = get();
    request.user_agent = "curl/8.5";
    CHECK(combined(request, hit()) ==
          "10.0.0.7 - - [03/Dec/2026:11:52:00 +0000] \"GET /a?b=1 HTTP/1.1\" 200 1024 \"-\" "
          "\"curl/8.5\" hit - 0.000\n");
    request.referer = "https://example.com/";
    CHECK(combined(request, miss()) ==
          "10.0.0.7 - - [03/Dec/2026:11:52:00 +0000] \"GET /a?b=1 HTTP/1.1\" 200 42 "
          "\"https://example.com/\" \"curl/8.5\" miss 12.345 13.001\n");
}

TEST_CASE("every cache status is named as the metrics name it") {
    LoggedAnswer answer = hit(0);
    for (auto status : {admin::CacheStatus::stale, admin::CacheStatus::revalidated,
                        admin::CacheStatus::pass, admin::CacheStatus::error}) {
        answer.cache = status;
        simdjson::dom::parser parser;
        CHECK(field(parsed(parser, json_line(get(), answer)), "cache") == admin::name(status));
        CHECK(combined(get(), answer).find(" " + std::string(admin::name(status)) + " - ") !=
              std::string::npos);
    }
}

TEST_CASE("a refused request whose request line was not read logs what is known") {
    LoggedRequest request;
    request.client = "::1";
    const LoggedAnswer refused = {
        .status = 400, .body_bytes = 26, .cache = admin::CacheStatus::refused};
    CHECK(json_line(request, refused) ==
          R"({"time":"2026-12-03T11:52:00.123Z","client":"::1","status":400,"bytes":26,)"
          R"("cache":"refused","duration_ms":0.000})"
          "\n");
    CHECK(combined(request, refused) ==
          "::1 - - [03/Dec/2026:11:52:00 +0000] \"-\" 400 26 \"-\" \"-\" refused - 0.000\n");
}

TEST_CASE("JSON escapes quotes, backslashes and control bytes, and keeps valid UTF-8") {
    LoggedRequest request = get("/q?\"a\"\\b\n\r\t\x01\x7f");
    request.user_agent = "caf\xc3\xa9 \xf0\x9f\x98\x80";  // é, 😀: passed as they are
    const std::string line = json_line(request, hit());
    CHECK(one_line(line));
    CHECK(line.find(R"("target":"/q?\"a\"\\b\n\r\t\u0001\u007f")") != std::string::npos);
    CHECK(line.find("\"user_agent\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"") != std::string::npos);
    simdjson::dom::parser parser;
    const auto doc = parsed(parser, line);
    CHECK(field(doc, "target") == "/q?\"a\"\\b\n\r\t\x01\x7f");
    CHECK(field(doc, "user_agent") == "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST_CASE("JSON writes a byte outside well-formed UTF-8 as \\u00XX, so the line stays valid") {
    // A lone continuation byte, 0xFF, an overlong '/', a surrogate, past U+10FFFF, and a
    // sequence cut short by the end of the field.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"a\x80z", R"(a\u0080z)"},
        {"\xff", R"(\u00ff)"},
        {"\xc0\xaf", R"(\u00c0\u00af)"},
        {"\xed\xa0\x80", R"(\u00ed\u00a0\u0080)"},
        {"\xf4\x90\x80\x80", R"(\u00f4\u0090\u0080\u0080)"},
        {"ok\xe2\x82", R"(ok\u00e2\u0082)"},
    };
    for (const auto& [raw, escaped] : cases) {
        const std::string line = json_line(get(raw), hit());
        CHECK_MESSAGE(line.find("\"target\":\"" + escaped + "\"") != std::string::npos, line);
        simdjson::dom::parser parser;
        parsed(parser, line);
    }
}

TEST_CASE("a byte to escape is found wherever it stands in a field, in both formats") {
    // Every position of a 24-byte field, and each kind of byte that is escaped.
    for (const char special : {'"', '\\', '\x01', '\x1f', '\x7f', '\x80', '\xff'}) {
        for (std::size_t at = 0; at < 24; ++at) {
            std::string target(24, 'a');
            target[at] = special;
            simdjson::dom::parser parser;
            const std::string line = json_line(get(target), hit());
            CHECK_MESSAGE(
                field(parsed(parser, line), "target") ==
                    (static_cast<unsigned char>(special) >= 0x80
                         ? target.substr(0, at) + (special == '\x80' ? "\u0080" : "\u00ff") +
                               target.substr(at + 1)
                         : target),
                line);
            const std::string escaped = combined(get(target), hit());
            const char hex[] = "0123456789ABCDEF";
            const auto byte = static_cast<unsigned char>(special);
            CHECK_MESSAGE(escaped.find(target.substr(0, at) + "\\x" + hex[byte >> 4] +
                                       hex[byte & 15] + target.substr(at + 1)) != std::string::npos,
                          escaped);
        }
    }
}

TEST_CASE("combined escapes \", \\, control bytes and bytes past 0x7E as \\xHH, as nginx does") {
    LoggedRequest request = get("/q?\"a\"\\b\nc");
    request.user_agent = "caf\xc3\xa9\x7f";
    request.referer = "\"x\" \"-\"";
    const std::string line = combined(request, hit());
    CHECK(one_line(line));
    CHECK(line ==
          "10.0.0.7 - - [03/Dec/2026:11:52:00 +0000] \"GET /q?\\x22a\\x22\\x5Cb\\x0Ac HTTP/1.1\" "
          "200 1024 \"\\x22x\\x22 \\x22-\\x22\" \"caf\\xC3\\xA9\\x7F\" hit - 0.000\n");
}

TEST_CASE("a field too long for the line is cut, says so with ..., and the line stays whole") {
    const std::string long_target = "/" + std::string(10'000, 'a');
    const std::string line = json_line(get(long_target), hit());
    CHECK(one_line(line));
    simdjson::dom::parser parser;
    const std::string target = field(parsed(parser, line), "target");
    CHECK(target.size() == kMaxTarget);
    CHECK(target.substr(target.size() - 3) == "...");
    CHECK(target.substr(0, 5) == "/aaaa");

    // The worst case: every field at its longest, every byte escaped six times its size.
    const std::string controls(20'000, '\x01');
    LoggedRequest worst = get(controls);
    worst.client = controls;
    worst.method = controls;
    worst.host = controls;
    worst.user_agent = controls;
    worst.referer = controls;
    for (const std::string& out : {json_line(worst, miss()), combined(worst, miss())}) {
        CHECK(one_line(out));
        CHECK(out.size() < kMaxLine);
    }
    simdjson::dom::parser again;
    const auto doc = parsed(again, json_line(worst, miss()));
    CHECK(field(doc, "user_agent").substr(0, 2) == "\x01\x01");
    CHECK(field(doc, "cache") == "miss");  // the fields after the long ones are all there
}

TEST_CASE("a field is cut after a whole escape or UTF-8 sequence, never inside one") {
    // é is two bytes: a target of them, cut, ends with a whole é and then "...".
    std::string accents;
    for (int i = 0; i < 3000; ++i) accents += "\xc3\xa9";
    const std::string line = json_line(get(accents), hit());
    simdjson::dom::parser parser;
    const std::string target = field(parsed(parser, line), "target");
    CHECK(target.substr(target.size() - 5) == "\xc3\xa9...");
    const std::string quotes(3000, '"');
    const std::string cut = combined(get(quotes), hit());
    CHECK(cut.find("\\x22... HTTP/1.1\"") != std::string::npos);
}

TEST_CASE("a request copied for a streamed response outlives the bytes it came from") {
    std::string buffer = "GET /copied ua ref host";
    LoggedRequest request;
    request.client = "10.0.0.7";
    request.method = std::string_view(buffer).substr(0, 3);
    request.target = std::string_view(buffer).substr(4, 7);
    request.user_agent = std::string_view(buffer).substr(12, 2);
    request.referer = std::string_view(buffer).substr(15, 3);
    request.host = std::string_view(buffer).substr(19, 4);
    request.version_minor = 0;
    LoggedRequestCopy copy;
    copy.assign(request);
    buffer.assign(buffer.size(), 'x');  // the read buffer moves on
    const LoggedRequest& kept = copy.request();
    CHECK(kept.method == "GET");
    CHECK(kept.target == "/copied");
    CHECK(kept.user_agent == "ua");
    CHECK(kept.referer == "ref");
    CHECK(kept.host == "host");
    CHECK(kept.client == "10.0.0.7");
    CHECK(kept.version_minor == 0);

    // Only what a line shows is copied, and one byte more: the cut still shows.
    const std::string long_target(100'000, 'b');
    copy.assign(get(long_target));
    CHECK(copy.request().target.size() == kMaxTarget + 1);
    CHECK(json_line(copy.request(), hit()).find("bbb...\"") != std::string::npos);
    LoggedRequest unread;  // a refused request's: no request line stays none
    unread.client = "::1";
    copy.assign(unread);
    CHECK(copy.request().method.empty());
}

TEST_CASE("the line time is rendered in UTC, for both formats, to the millisecond") {
    LineTime time = at(1798761599999);  // the last millisecond of 2026
    CHECK(time.iso_second() == "2026-12-31T23:59:59");
    CHECK(time.millisecond() == 999);
    CHECK(time.common_log() == "31/Dec/2026:23:59:59 +0000");
    time.set(1798761600000);
    CHECK(time.iso_second() == "2027-01-01T00:00:00");
    CHECK(time.millisecond() == 0);
    CHECK(time.common_log() == "01/Jan/2027:00:00:00 +0000");
    time.set(kAt + 400);  // another millisecond of the same second
    CHECK(json_line(get(), hit(), time).find("\"time\":\"2026-12-03T11:52:00.523Z\"") !=
          std::string::npos);
}

TEST_CASE("durations and origin times are milliseconds with microsecond decimals") {
    LoggedAnswer answer = miss();
    answer.origin_us = 7;
    answer.duration_us = 1'234'567;
    const std::string line = json_line(get(), answer);
    CHECK(line.find("\"origin_ms\":0.007,\"duration_ms\":1234.567") != std::string::npos);
    CHECK(combined(get(), answer).find(" miss 0.007 1234.567\n") != std::string::npos);
}

TEST_CASE("format_line writes the configured format") {
    CHECK(json_line(get(), hit()) == [] {
        std::string out(kMaxLine, '\0');
        out.resize(format_line(AccessLogFormat::json, get(), hit(), at(), out.data()));
        return out;
    }());
    std::string out(kMaxLine, '\0');
    out.resize(format_line(AccessLogFormat::combined, get(), hit(), at(), out.data()));
    CHECK(out == combined(get(), hit()));
}
