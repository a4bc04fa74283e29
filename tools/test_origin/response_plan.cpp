#include "test_origin/response_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "origin_server/http_date.hpp"
#include "origin_server/status_text.hpp"
#include "test_origin/query.hpp"
#include "test_origin/rpc_echo.hpp"

namespace cachet::tools {
namespace {

constexpr std::uint64_t max_body = 1ULL << 36;  // bytes; far above any test, below overflow

ResponsePlan bad_parameter(const std::string& name) {
    ResponsePlan plan;
    plan.text_body = "test-origin: bad parameter " + name + "\n";
    plan.body_size = plan.text_body.size();
    plan.head =
        "HTTP/1.1 400 Bad Request\r\nServer: cachet-test-origin\r\n"
        "Cache-Control: no-store\r\nContent-Type: text/plain\r\nContent-Length: " +
        std::to_string(plan.body_size) + "\r\n\r\n";
    return plan;
}

std::string echo_body(const Request& request) {
    std::string out = request.method + " " + request.target + " HTTP/" +
                      std::to_string(request.http_major) + "." +
                      std::to_string(request.http_minor) + "\n";
    for (const auto& h : request.headers) out += h.name + ": " + h.value + "\n";
    char checksum[17];
    std::snprintf(checksum, sizeof checksum, "%016llx",
                  static_cast<unsigned long long>(request.body_checksum.value()));
    out += "\nbody-length: " + std::to_string(request.body_length) + "\n";
    out += "body-fnv1a64: " + std::string(checksum) + "\n";
    return out;
}

// RFC 9110 §13.1.2: weak comparison, a list of entity tags or "*".
bool etag_matches(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == "*") return true;
        if (item.substr(0, 2) == "W/") item.remove_prefix(2);
        std::string_view bare = etag.substr(0, 2) == "W/" ? etag.substr(2) : etag;
        if (item == bare) return true;
    }
    return false;
}

struct ByteSpan {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
};

// One satisfiable range-spec of a Range value against `size` bytes (RFC 9110 §14.1.2);
// nullopt for anything else (several ranges, another unit, malformed, unsatisfiable), which
// the origin then ignores and answers whole.
std::optional<ByteSpan> single_range(std::string_view value, std::uint64_t size) {
    constexpr std::string_view unit = "bytes=";
    if (value.substr(0, unit.size()) != unit || size == 0) return std::nullopt;
    value.remove_prefix(unit.size());
    const auto dash = value.find('-');
    if (dash == std::string_view::npos || value.find(',') != std::string_view::npos) {
        return std::nullopt;
    }
    auto number = [](std::string_view text) -> std::optional<std::uint64_t> {
        const bool digits = text.find_first_not_of("0123456789") == std::string_view::npos;
        if (text.empty() || text.size() > 18 || !digits) return std::nullopt;
        return std::stoull(std::string(text));
    };
    const auto first = number(value.substr(0, dash));
    const auto last = number(value.substr(dash + 1));
    if (!first) {
        if (!last || *last == 0) return std::nullopt;
        return ByteSpan{*last >= size ? 0 : size - *last, size - 1};
    }
    if (*first >= size || (last && *last < *first)) return std::nullopt;
    return ByteSpan{*first, last ? std::min(*last, size - 1) : size - 1};
}

}  // namespace

ResponsePlan plan_response(const Request& request, const Counted& counted) {
    const Query query(request.query());
    bool bad = false;
    auto number = [&](const char* name, std::uint64_t fallback) {
        return query.get_number(name, bad).value_or(fallback);
    };

    ResponsePlan plan;
    std::uint64_t status = number("status", 200);
    if (bad || status < 200 || status > 599) return bad_parameter("status");
    plan.delay_ms = number("delay_ms", 0);
    if (bad) return bad_parameter("delay_ms");
    plan.drip_ms = number("drip_ms", 0);
    if (bad) return bad_parameter("drip_ms");
    plan.stall_after = number("stall_after", 0);
    plan.stall_ms = number("stall_ms", 0);
    if (bad) return bad_parameter("stall_after/stall_ms");
    auto size = query.get_number("size", bad);
    if (bad || (size && *size > max_body)) return bad_parameter("size");
    auto truncate = query.get_number("truncate", bad);
    if (bad) return bad_parameter("truncate");
    auto chunk_size = query.get_number("chunk_size", bad);
    if (bad || (chunk_size && *chunk_size == 0)) return bad_parameter("chunk_size");

    for (const auto& interim : query.get_all("interim")) {
        const bool digits =
            interim.size() == 3 && interim.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || interim[0] != '1') return bad_parameter("interim");
        plan.interim +=
            "HTTP/1.1 " + interim + " " + std::string(status_text(std::stoi(interim))) + "\r\n";
        for (const auto& extra : query.get_all("interim_header")) {
            auto colon = extra.find(':');
            if (colon == std::string::npos || colon == 0) return bad_parameter("interim_header");
            std::string_view value = std::string_view(extra).substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            plan.interim += extra.substr(0, colon) + ": " + std::string(value) + "\r\n";
        }
        plan.interim += "\r\n";
    }

    if (query.get("reset") == "1") plan.failure = Failure::reset;
    if (query.get("hang") == "1") plan.failure = Failure::hang;
    if (auto b = query.get("bad")) {
        plan.failure = *b == "header"   ? Failure::bad_header
                       : *b == "length" ? Failure::bad_length
                       : *b == "fold"   ? Failure::folded_header
                       : *b == "extra"  ? Failure::extra_response
                                        : Failure::bad_status_line;
    }

    const auto etag = query.get("etag");
    const auto last_modified = query.get("last_modified");
    bool not_modified = false;
    if (status == 200 && (request.method == "GET" || request.method == "HEAD")) {
        const std::string* inm = request.header("If-None-Match");
        const std::string* ims = request.header("If-Modified-Since");
        if (etag && inm) {
            not_modified = etag_matches(*inm, *etag);
        } else if (last_modified && ims) {
            not_modified = *ims == *last_modified;
        }
    }
    if (not_modified) status = 304;

    std::string content_type = "text/plain";
    if (query.get("echo") == "1") {
        plan.text_body = echo_body(request);
    } else if (query.get("rpc") == "echo") {
        auto answer = rpc_echo(request.body);
        if (!answer) return bad_parameter("rpc (the body is not a JSON-RPC call or batch)");
        plan.text_body = *answer;
        content_type = "application/json";
        if (answer->empty() && status == 200) status = 204;  // notifications only: no body
    } else if (auto body = query.get("body")) {
        plan.text_body = *body;
    } else if (size) {
        plan.pattern_body = true;
        content_type = "application/octet-stream";
    } else {
        plan.text_body = "test-origin response for " + request.target + "\n";
    }
    plan.body_size = plan.pattern_body ? *size : plan.text_body.size();
    if (auto type = query.get("content_type")) content_type = *type;

    std::string content_range;
    const bool ranges = query.get("ranges") == "1" && plan.pattern_body;
    if (ranges && status == 200 && request.method == "GET") {
        if (const std::string* range = request.header("Range")) {
            if (auto span = single_range(*range, plan.body_size)) {
                status = 206;
                content_range = "bytes " + std::to_string(span->first) + "-" +
                                std::to_string(span->last) + "/" + std::to_string(plan.body_size);
                plan.pattern_offset = span->first;
                plan.body_size = span->last - span->first + 1;
            }
        }
    }

    const bool bodiless_status = status == 204 || status == 304;
    if (bodiless_status) {
        plan.body_size = 0;
        plan.text_body.clear();
        plan.pattern_body = false;
    }
    plan.send_body = !bodiless_status && request.method != "HEAD";

    if (query.get("chunked") == "1") plan.framing = Framing::chunked;
    if (query.get("close") == "1") plan.framing = Framing::close_delimited;
    plan.close_notify = query.get("close_notify") != "0";
    plan.chunk_size =
        chunk_size.value_or(std::clamp<std::uint64_t>((plan.body_size + 3) / 4, 1, 65536));
    if (truncate && *truncate < plan.body_size) plan.truncate_after = truncate;
    if (plan.stall_ms > 0 && plan.stall_after >= plan.body_size) plan.stall_ms = 0;

    std::string& h = plan.head;
    h = "HTTP/1.1 " + std::to_string(status) + " " + std::string(status_text(int(status))) + "\r\n";
    h += "Date: " + query.get("date").value_or(http_date(std::time(nullptr))) + "\r\n";
    h += "Server: cachet-test-origin\r\n";
    if (!bodiless_status) h += "Content-Type: " + content_type + "\r\n";
    if (auto cc = query.get("cc")) h += "Cache-Control: " + *cc + "\r\n";
    if (auto expires = query.get("expires")) h += "Expires: " + *expires + "\r\n";
    if (!content_range.empty()) h += "Content-Range: " + content_range + "\r\n";
    if (etag) h += "ETag: " + *etag + "\r\n";
    if (last_modified) h += "Last-Modified: " + *last_modified + "\r\n";
    if (query.get("set_cookie") == "1") {
        h += "Set-Cookie: session=" + std::to_string(counted.sequence) + "; Path=/; HttpOnly\r\n";
    }
    for (const auto& extra : query.get_all("header")) {
        auto colon = extra.find(':');
        if (colon == std::string::npos || colon == 0) return bad_parameter("header");
        std::string_view value = std::string_view(extra).substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        h += extra.substr(0, colon) + ": " + std::string(value) + "\r\n";
    }
    for (const auto& from : query.get_all("header_from")) {
        auto colon = from.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == from.size()) {
            return bad_parameter("header_from");
        }
        if (const std::string* value = request.header(std::string_view(from).substr(colon + 1))) {
            h += from.substr(0, colon) + ": " + *value + "\r\n";
        }
    }
    h += "X-Origin-Seq: " + std::to_string(counted.sequence) + "\r\n";
    h += "X-Origin-Count: " + std::to_string(counted.path_count) + "\r\n";
    if (!bodiless_status) {
        switch (plan.framing) {
        case Framing::content_length:
            h += "Content-Length: " + std::to_string(plan.body_size) + "\r\n";
            break;
        case Framing::chunked: h += "Transfer-Encoding: chunked\r\n"; break;
        case Framing::close_delimited: break;
        }
    }
    if (plan.framing == Framing::close_delimited || !request.keep_alive) {
        h += "Connection: close\r\n";
    } else if (request.http_major == 1 && request.http_minor == 0) {
        h += "Connection: keep-alive\r\n";
    }
    h += "\r\n";
    return plan;
}

std::string malformed_response(Failure failure) {
    switch (failure) {
    case Failure::bad_header:
        return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nthis line has no colon\r\n\r\nok";
    case Failure::bad_length:
        return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nok";
    case Failure::folded_header:
        return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Control: max-age=60\r\n"
               "X-Folded: first\r\n second\r\n\r\nok";
    case Failure::extra_response:
        return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Control: no-store\r\n\r\nok"
               "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nCache-Control: max-age=600\r\n\r\nsmuggled";
    default: return "HTTP/1.1 two-hundred Okay-ish\r\nContent-Length: 2\r\n\r\nok";
    }
}

}  // namespace cachet::tools
