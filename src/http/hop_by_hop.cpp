#include "http/hop_by_hop.hpp"
#include "http/tokens.hpp"

namespace cachet::http {
namespace {}  // namespace

bool is_hop_by_hop(std::string_view name) noexcept {
    constexpr std::array<std::string_view, 7> kNames = {
        "connection", "keep-alive",        "proxy-connection", "te",
        "trailer",    "transfer-encoding", "upgrade"};
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
            std::string_view token = trim_ows(rest.substr(0, comma));
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
