#include "harness/response_parser.hpp"

#include <algorithm>
#include <cctype>

namespace cachet::integration {
namespace {

constexpr std::size_t max_head = 64 * 1024;  // bytes
constexpr std::size_t max_line = 4096;       // bytes of a chunk-size or trailer line

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() <= 18 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Comma-separated tokens of a header value, compared case-insensitively.
bool has_token(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        auto comma = value.find(',');
        if (iequals(trim(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

std::string last_token(std::string_view value) {
    auto comma = value.rfind(',');
    std::string_view last = comma == std::string_view::npos ? value : value.substr(comma + 1);
    last = trim(last);
    return std::string(last.substr(0, last.find(';')));
}

// Appends data to `line` up to and including the first LF. Returns true when a whole line ending in
// CRLF is there (then `line` holds it without the CRLF).
bool take_line(std::string_view data, std::size_t& used, std::string& line, bool& bad) {
    std::string_view rest = data.substr(used);
    auto lf = rest.find('\n');
    if (lf == std::string_view::npos) {
        line.append(rest);
        used = data.size();
        bad = line.size() > max_line;
        return false;
    }
    line.append(rest.substr(0, lf + 1));
    used += lf + 1;
    if (line.size() < 2 || line[line.size() - 2] != '\r') {
        bad = true;
        return false;
    }
    line.resize(line.size() - 2);
    return true;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

std::string_view name(Outcome outcome) noexcept {
    switch (outcome) {
    case Outcome::complete: return "complete";
    case Outcome::connect_failed: return "connect_failed";
    case Outcome::closed_before_response: return "closed_before_response";
    case Outcome::truncated: return "truncated";
    case Outcome::reset: return "reset";
    case Outcome::timeout: return "timeout";
    case Outcome::malformed: return "malformed";
    }
    return "?";
}

std::optional<std::string> Reply::header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
        if (iequals(n, name)) return v;
    }
    return std::nullopt;
}

std::size_t Reply::header_count(std::string_view name) const {
    return static_cast<std::size_t>(std::count_if(
        headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); }));
}

bool Reply::closes_connection() const {
    bool close = false;
    bool keep_alive = false;
    for (const auto& [n, v] : headers) {
        if (!iequals(n, "Connection")) continue;
        close = close || has_token(v, "close");
        keep_alive = keep_alive || has_token(v, "keep-alive");
    }
    return close || (http_minor == 0 && !keep_alive) || close_delimited;
}

std::string Reply::describe() const {
    std::string out = "outcome=" + std::string(name(outcome));
    if (!error.empty()) out += " (" + error + ")";
    if (status != 0) out += " status=" + std::to_string(status);
    if (auto cs = header("Cache-Status")) out += " cache-status='" + *cs + "'";
    out += " body=" + std::to_string(body.size()) + " bytes";
    if (status >= 400 && body.size() < 200) out += " '" + body + "'";
    return out;
}

void ResponseParser::fail(std::string error) {
    reply_.outcome = Outcome::malformed;
    reply_.error = std::move(error);
    state_ = State::done;
}

void ResponseParser::feed_close(bool reset) {
    if (state_ == State::done) return;
    if (reset) {
        reply_.outcome = Outcome::reset;
    } else if (state_ == State::head && !started_) {
        reply_.outcome = Outcome::closed_before_response;
    } else if (state_ == State::body_eof) {
        reply_.outcome = Outcome::complete;
    } else {
        reply_.outcome = Outcome::truncated;
    }
    state_ = State::done;
}

std::size_t ResponseParser::feed(std::string_view data) {
    std::size_t used = 0;
    bool bad = false;
    while (used < data.size() && state_ != State::done) {
        started_ = true;
        switch (state_) {
        case State::head: {
            const std::size_t old = head_.size();
            head_.append(data.substr(used));
            auto end = head_.find("\r\n\r\n", old >= 3 ? old - 3 : 0);
            if (end == std::string::npos) {
                used = data.size();
                if (head_.size() > max_head) fail("response head over 64 KiB");
                break;
            }
            used += end + 4 - old;
            head_.resize(end + 4);
            if (parse_head()) head_.clear();
            break;
        }
        case State::body_length: {
            auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - used));
            reply_.body.append(data.substr(used, n));
            used += n;
            remaining_ -= n;
            if (remaining_ == 0) finish();
            break;
        }
        case State::chunk_size: {
            if (!take_line(data, used, head_, bad)) {
                if (bad) fail("bad chunk-size line");
                break;
            }
            std::string_view line = trim(std::string_view(head_).substr(0, head_.find(';')));
            std::uint64_t size = 0;
            bool ok = !line.empty() && line.size() <= 15;
            for (char c : line) {
                int v = std::isxdigit(static_cast<unsigned char>(c))
                            ? (c <= '9' ? c - '0' : (std::tolower(c) - 'a' + 10))
                            : -1;
                if (v < 0) ok = false;
                size = size * 16 + static_cast<std::uint64_t>(v < 0 ? 0 : v);
            }
            if (!ok) {
                fail("bad chunk size '" + head_ + "'");
                break;
            }
            head_.clear();
            remaining_ = size;
            state_ = size == 0 ? State::trailers : State::chunk_data;
            break;
        }
        case State::chunk_data: {
            auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - used));
            reply_.body.append(data.substr(used, n));
            used += n;
            remaining_ -= n;
            if (remaining_ == 0) state_ = State::chunk_crlf;
            break;
        }
        case State::chunk_crlf: {
            if (!take_line(data, used, head_, bad)) {
                if (bad) fail("chunk data not followed by CRLF");
                break;
            }
            if (!head_.empty()) {
                fail("chunk data longer than its size");
                break;
            }
            state_ = State::chunk_size;
            break;
        }
        case State::trailers: {
            if (!take_line(data, used, head_, bad)) {
                if (bad) fail("bad trailer line");
                break;
            }
            if (head_.empty()) {
                finish();
            } else {
                head_.clear();  // a trailer field: accepted and ignored
            }
            break;
        }
        case State::body_eof:
            reply_.body.append(data.substr(used));
            used = data.size();
            break;
        case State::done: break;
        }
    }
    return used;
}

bool ResponseParser::parse_head() {
    std::string_view head(head_);
    head.remove_suffix(4);  // the empty line
    std::vector<std::string_view> lines;
    while (true) {
        auto crlf = head.find("\r\n");
        lines.push_back(head.substr(0, crlf));
        if (crlf == std::string_view::npos) break;
        head.remove_prefix(crlf + 2);
    }
    std::string_view status_line = lines[0];
    if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." ||
        (status_line[7] != '0' && status_line[7] != '1') || status_line[8] != ' ' ||
        !all_digits(status_line.substr(9, 3)) ||
        (status_line.size() > 12 && status_line[12] != ' ')) {
        fail("bad status line '" + std::string(status_line.substr(0, 80)) + "'");
        return false;
    }
    reply_.http_minor = status_line[7] - '0';
    reply_.status = std::stoi(std::string(status_line.substr(9, 3)));
    reply_.reason = status_line.size() > 13 ? std::string(status_line.substr(13)) : "";
    reply_.headers.clear();
    for (std::size_t i = 1; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        auto colon = line.find(':');
        if (line.find('\n') != std::string_view::npos ||
            line.find('\r') != std::string_view::npos) {
            fail("bare CR or LF in a header line");
            return false;
        }
        if (colon == std::string_view::npos || colon == 0 ||
            line.substr(0, colon).find_first_of(" \t") != std::string_view::npos) {
            fail("bad header line '" + std::string(line.substr(0, 80)) + "'");
            return false;
        }
        reply_.headers.emplace_back(std::string(line.substr(0, colon)),
                                    std::string(trim(line.substr(colon + 1))));
    }

    if (reply_.status / 100 == 1 && reply_.status != 101) {
        // An interim response: kept aside, the final one follows.
        reply_.interim.push_back(
            InterimReply{reply_.status, std::move(reply_.headers), Clock::now()});
        reply_.headers.clear();
        return true;
    }
    if (head_request_ || reply_.status / 100 == 1 || reply_.status == 204 || reply_.status == 304) {
        finish();
        return true;
    }
    auto te = reply_.header("Transfer-Encoding");
    std::optional<std::string> length;
    for (const auto& [n, v] : reply_.headers) {
        if (!iequals(n, "Content-Length")) continue;
        if (!all_digits(v) || (length && *length != v)) {
            fail("bad Content-Length '" + v + "'");
            return false;
        }
        length = v;
    }
    if (te && length) {
        fail("both Transfer-Encoding and Content-Length (RFC 9112 §6.2 forbids sending both)");
        return false;
    }
    if (te) {
        if (iequals(last_token(*te), "chunked")) {
            reply_.chunked = true;
            state_ = State::chunk_size;
        } else {
            reply_.close_delimited = true;
            state_ = State::body_eof;
        }
        return true;
    }
    if (length) {
        remaining_ = std::stoull(*length);
        state_ = State::body_length;
        if (remaining_ == 0) finish();
        return true;
    }
    reply_.close_delimited = true;
    state_ = State::body_eof;
    return true;
}

}  // namespace cachet::integration
