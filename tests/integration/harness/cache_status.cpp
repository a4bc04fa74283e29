#include "harness/cache_status.hpp"

#include <string_view>
#include <vector>

namespace cachet::integration {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Splits on `sep` outside double-quoted strings.
std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) quoted = !quoted;
        if (s[i] == sep && !quoted) {
            out.push_back(trim(s.substr(start, i - start)));
            start = i + 1;
        }
    }
    out.push_back(trim(s.substr(start)));
    return out;
}

std::string unquote(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    return std::string(v);
}

}  // namespace

CacheStatus cache_status(const Reply& reply) {
    CacheStatus status;
    auto value = reply.header("Cache-Status");
    if (!value) return status;
    status.present = true;
    status.raw = *value;
    auto members = split(*value, ',');
    std::string_view member = members.back();
    for (auto m : members) {
        if (split(m, ';').front() == "cachet") member = m;
    }
    auto params = split(member, ';');
    for (std::size_t i = 1; i < params.size(); ++i) {
        std::string_view p = params[i];
        auto eq = p.find('=');
        std::string_view key = trim(p.substr(0, eq));
        std::string val = eq == std::string_view::npos ? "" : unquote(trim(p.substr(eq + 1)));
        if (key == "hit") status.hit = true;
        if (key == "fwd") status.fwd = val;
        // Structured-field booleans: a bare key is true, "?0" is false (RFC 8941 §3.3.6).
        if (key == "stored") status.stored = val != "?0";
        if (key == "collapsed") status.collapsed = val != "?0";
        if (key == "detail") status.detail = val;
    }
    return status;
}

}  // namespace cachet::integration
