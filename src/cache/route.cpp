#include "cache/route.hpp"

#include <algorithm>

#include "http/host.hpp"

namespace cachet::cache {
namespace {

// The key's separator (key.cpp): what follows the target in a route's key starts with it.
constexpr char separator = '\x1f';

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// The host part of a Host value: without its port and a trailing dot.
std::string_view host_name(std::string_view host) noexcept {
    if (!host.empty() && host.front() == '[') {
        auto close = host.find(']');
        host = close == std::string_view::npos ? host : host.substr(0, close + 1);
    } else if (auto colon = host.rfind(':');
               colon != std::string_view::npos && colon == host.find(':')) {
        host = host.substr(0, colon);
    }
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    return host;
}

bool wildcard(std::string_view pattern, std::string_view text, bool segments) noexcept {
    while (!pattern.empty()) {
        if (pattern.front() == '*') {
            const bool across = !segments || (pattern.size() > 1 && pattern[1] == '*');
            const std::string_view rest =
                pattern.substr(pattern.size() > 1 && pattern[1] == '*' ? 2 : 1);
            for (std::size_t i = 0; i <= text.size(); ++i) {
                if (wildcard(rest, text.substr(i), segments)) return true;
                if (i < text.size() && !across && text[i] == '/') return false;
            }
            return false;
        }
        if (text.empty() || pattern.front() != text.front()) return false;
        pattern.remove_prefix(1);
        text.remove_prefix(1);
    }
    return text.empty();
}

std::string_view parameter_name(std::string_view parameter) noexcept {
    return parameter.substr(0, parameter.find('='));
}

bool listed(const std::vector<std::string>& patterns, std::string_view name) noexcept {
    for (const auto& p : patterns) {
        if (name_matches(p, name)) return true;
    }
    return false;
}

bool holds_separator(std::string_view s) noexcept {
    for (char c : s) {
        if ((static_cast<unsigned char>(c) | 1u) == static_cast<unsigned char>(separator))
            return true;
    }
    return false;
}

// The value of cookie `name` in the request's Cookie fields (RFC 6265 §5.4: "a=1; b=2").
std::optional<std::string_view> cookie(http::HeaderSpan headers, std::string_view name) noexcept {
    for (const auto& field : headers) {
        if (!http::iequals(field.name, "cookie")) continue;
        std::string_view rest = field.value;
        while (!rest.empty()) {
            auto end = rest.find(';');
            std::string_view pair = rest.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
            while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t'))
                pair.remove_prefix(1);
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name)
                return pair.substr(eq + 1);
        }
    }
    return std::nullopt;
}

}  // namespace

bool glob_matches(std::string_view pattern, std::string_view path) noexcept {
    return wildcard(pattern, path, /*segments=*/true);
}

bool name_matches(std::string_view pattern, std::string_view name) noexcept {
    return wildcard(pattern, name, /*segments=*/false);
}

bool route_matches_in_full(const RouteMatch& match, std::string_view host,
                           std::string_view target) noexcept {
    // `path` runs on into the query: a pattern holds no '?' or '#' (config/routes.cpp), so
    // only an exact or glob match needs to know where the path ends.
    std::string_view path = target;
    if (target.empty() || target.front() != '/') {
        path = "/";
        if (auto authority = http::absolute_form_authority(target)) {
            host = *authority;
            std::string_view rest = target.substr(std::string_view("http://").size());
            auto start = rest.find_first_of("/?#");
            if (start != std::string_view::npos && rest[start] == '/') path = rest.substr(start);
        }
    }
    if (!match.host.empty()) {
        const std::string_view name = host_name(host);
        if (name.size() != match.host.size()) return false;
        for (std::size_t i = 0; i < name.size(); ++i) {
            if (lower(name[i]) != match.host[i]) return false;
        }
    }
    const std::string_view pattern = match.path;
    switch (match.kind) {
    case PathMatch::exact:
        return path.substr(0, pattern.size()) == pattern &&
               (path.size() == pattern.size() || path[pattern.size()] == '?' ||
                path[pattern.size()] == '#');
    case PathMatch::prefix: return path.substr(0, pattern.size()) == pattern;
    case PathMatch::glob: return glob_matches(pattern, path.substr(0, path.find_first_of("?#")));
    }
    return false;
}

void normalise_target(RouteKeyScratch& scratch, std::string_view target, const KeyRules& rules) {
    std::string& out = scratch.target;
    const auto question = target.find('?');
    out.assign(target.substr(0, question));
    if (question == std::string_view::npos) return;
    std::string_view query = target.substr(question + 1);
    if (rules.query == QueryRule::drop_all) return;
    if (rules.query == QueryRule::as_sent && !rules.sort_query) {
        out.append("?").append(query);
        return;
    }
    auto& kept = scratch.parameters;
    kept.clear();
    while (true) {
        const auto amp = query.find('&');
        const std::string_view parameter = query.substr(0, amp);
        const std::string_view name = parameter_name(parameter);
        const bool keep = rules.query == QueryRule::drop   ? !listed(rules.patterns, name)
                          : rules.query == QueryRule::keep ? listed(rules.patterns, name)
                                                           : true;
        if (keep) kept.push_back(parameter);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    if (rules.sort_query) {
        std::sort(kept.begin(), kept.end(), [](std::string_view a, std::string_view b) {
            const auto an = parameter_name(a), bn = parameter_name(b);
            return an != bn ? an < bn : a < b;
        });
    }
    for (std::size_t i = 0; i < kept.size(); ++i) out.append(i == 0 ? "?" : "&").append(kept[i]);
}

Result<std::string_view> build_route_key(KeyBuffer& out, RouteKeyScratch& scratch,
                                         http::Method method, std::string_view host,
                                         std::string_view target, const KeyRules& rules,
                                         http::HeaderSpan headers) {
    normalise_target(scratch, target, rules);
    std::string& key_target = scratch.target;
    if (!rules.headers.empty() || !rules.cookies.empty()) {
        // The keyed values follow the target after the separator, so the target must not
        // hold it (llhttp refuses control bytes in a target; this does not rely on it).
        if (holds_separator(key_target)) return unexpected(Errc::bad_request);
        for (const auto& name : rules.headers) {
            key_target.push_back(separator);
            key_target.append("h").append(name);
            bool present = false;
            for (const auto& field : headers) {
                if (!http::iequals(field.name, name)) continue;
                if (holds_separator(field.value)) return unexpected(Errc::bad_request);
                key_target.append(present ? "," : ":").append(field.value);
                present = true;
            }
            if (!present) key_target.push_back('!');
        }
        for (const auto& name : rules.cookies) {
            key_target.push_back(separator);
            key_target.append("c").append(name);
            if (auto value = cookie(headers, name)) {
                if (holds_separator(*value)) return unexpected(Errc::bad_request);
                key_target.append("=").append(*value);
            } else {
                key_target.push_back('!');
            }
        }
    }
    return build_key(out, method, host, key_target);
}

std::string default_route_name(const RouteMatch& match) { return match.host + match.path; }

}  // namespace cachet::cache
