#include "http/hop_by_hop.hpp"

namespace cachet::http {
namespace {

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool is_hop_by_hop(std::string_view name) noexcept {
    constexpr std::array<std::string_view, 7> kNames = {
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"};
    for (auto n : kNames) {
        if (iequals(name, n)) return true;
    }
    return false;
}

ConnectionTokens::ConnectionTokens(HeaderSpan headers) noexcept {
    for (const auto& h : headers) {
        if (!iequals(h.name, "connection")) continue;
        std::string_view rest = h.value;
        while (!rest.empty() && count_ < tokens_.size()) {
            auto comma = rest.find(',');
            std::string_view token = trim(rest.substr(0, comma));
            if (!token.empty()) tokens_[count_++] = token;
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
}

bool ConnectionTokens::lists(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < count_; ++i) {
        if (iequals(tokens_[i], name)) return true;
    }
    return false;
}

}  // namespace cachet::http
