#include "test_origin/stats.hpp"

#include <cstdio>

namespace cachet::tools {
namespace {

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

void append_counts(std::string& out, const std::map<std::string, std::uint64_t, std::less<>>& m) {
    out += '{';
    bool first = true;
    for (const auto& [key, count] : m) {
        if (!first) out += ", ";
        first = false;
        append_json_string(out, key);
        out += ": ";
        out += std::to_string(count);
    }
    out += '}';
}

}  // namespace

Counted Stats::count(std::string_view path, std::string_view target, bool connection_is_new) {
    ++requests_;
    if (connection_is_new) ++connections_;
    auto p = paths_.find(path);
    if (p == paths_.end()) p = paths_.emplace(std::string(path), 0).first;
    auto t = targets_.find(target);
    if (t == targets_.end()) t = targets_.emplace(std::string(target), 0).first;
    ++t->second;
    return Counted{requests_, ++p->second};
}

void Stats::count_tls_handshake(bool resumed) { ++(resumed ? tls_resumed_ : tls_handshakes_); }

void Stats::reset() {
    requests_ = 0;
    connections_ = 0;
    tls_handshakes_ = 0;
    tls_resumed_ = 0;
    tls_failures_ = 0;
    paths_.clear();
    targets_.clear();
    last_bodies_.clear();
}

void Stats::keep_body(std::string_view path, std::string body) {
    last_bodies_.insert_or_assign(std::string(path), std::move(body));
}

std::string Stats::last_body(std::string_view path) const {
    auto it = last_bodies_.find(path);
    return it == last_bodies_.end() ? std::string() : it->second;
}

std::uint64_t Stats::for_path(std::string_view path) const {
    auto it = paths_.find(path);
    return it == paths_.end() ? 0 : it->second;
}

std::uint64_t Stats::for_target(std::string_view target) const {
    auto it = targets_.find(target);
    return it == targets_.end() ? 0 : it->second;
}

std::string Stats::to_json() const {
    std::string out = "{\"requests\": " + std::to_string(requests_) +
                      ", \"connections\": " + std::to_string(connections_) +
                      ", \"tls_handshakes\": " + std::to_string(tls_handshakes_) +
                      ", \"tls_resumed\": " + std::to_string(tls_resumed_) +
                      ", \"tls_failures\": " + std::to_string(tls_failures_) + ", \"paths\": ";
    append_counts(out, paths_);
    out += ", \"targets\": ";
    append_counts(out, targets_);
    out += "}\n";
    return out;
}

}  // namespace cachet::tools
