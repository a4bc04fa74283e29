#include "cache/head_split.hpp"

#include <array>

#include "http/header_view.hpp"

namespace cachet::cache {

namespace {

// Fields whose values repeat across an origin's responses. Lowercase.
constexpr std::array<std::string_view, 30> shared_fields{
    "accept-ranges",
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "access-control-max-age",
    "alt-svc",
    "cache-control",
    "cdn-cache-control",
    "content-encoding",
    "content-language",
    "content-security-policy",
    "content-type",
    "cross-origin-embedder-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "permissions-policy",
    "pragma",
    "referrer-policy",
    "server",
    "strict-transport-security",
    "timing-allow-origin",
    "vary",
    "via",
    "x-content-type-options",
    "x-frame-options",
    "x-powered-by",
    "x-xss-protection",
    "x-dns-prefetch-control",
};

// The next line of `rest`, its line ending included; `rest` moves past it.
std::string_view take_line(std::string_view& rest) noexcept {
    const std::size_t end = rest.find('\n');
    const std::size_t size = end == std::string_view::npos ? rest.size() : end + 1;
    std::string_view line = rest.substr(0, size);
    rest.remove_prefix(size);
    return line;
}

std::string_view field_name(std::string_view line) noexcept {
    const std::size_t colon = line.find(':');
    return colon == std::string_view::npos ? std::string_view() : line.substr(0, colon);
}

}  // namespace

bool is_shared_field(std::string_view name) noexcept {
    for (std::string_view shared : shared_fields) {
        if (http::iequals(name, shared)) return true;
    }
    return false;
}

SplitHead split_head(std::string_view head) {
    SplitHead out;
    std::string_view rest = head;
    out.shared.append(take_line(rest));  // the status line
    while (!rest.empty()) {
        const std::string_view line = take_line(rest);
        const std::string_view name = field_name(line);
        // cachet builds stored heads one field per line, so no line continues another.
        (!name.empty() && is_shared_field(name) ? out.shared : out.own).append(line);
    }
    return out;
}

}  // namespace cachet::cache
