#include "test_origin/query.hpp"

namespace cachet::tools {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

Query::Query(std::string_view query) {
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos) {
            params_.emplace_back(url_decode(part), std::string{});
        } else {
            params_.emplace_back(url_decode(part.substr(0, eq)), url_decode(part.substr(eq + 1)));
        }
    }
}

std::optional<std::string> Query::get(std::string_view name) const {
    std::optional<std::string> found;
    for (const auto& [key, value] : params_) {
        if (key == name) found = value;
    }
    return found;
}

std::vector<std::string> Query::get_all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : params_) {
        if (key == name) out.push_back(value);
    }
    return out;
}

std::optional<std::uint64_t> Query::get_number(std::string_view name, bool& bad) const {
    auto text = get(name);
    if (!text) return std::nullopt;
    if (text->empty() || text->size() > 15) {
        bad = true;
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (char c : *text) {
        if (c < '0' || c > '9') {
            bad = true;
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

}  // namespace cachet::tools
