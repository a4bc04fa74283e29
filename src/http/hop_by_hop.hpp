#pragma once
// Hop-by-hop fields (RFC 9110 §7.6.1): meaningful for one connection only, so a proxy
// removes them, and every field the Connection header names, in both directions.
#include <array>
#include <string_view>

#include "http/header_view.hpp"

namespace cachet::http {

// Connection, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade.
bool is_hop_by_hop(std::string_view name) noexcept;

// The field names listed in the Connection header(s) of one message.
class ConnectionTokens {
public:
    explicit ConnectionTokens(HeaderSpan headers) noexcept;
    bool lists(std::string_view name) const noexcept;
    bool has_close() const noexcept { return lists("close"); }

private:
    std::array<std::string_view, 16> tokens_{};
    std::size_t count_ = 0;
};

// True for fields a proxy must not forward: hop-by-hop or named by Connection.
inline bool must_strip(std::string_view name, const ConnectionTokens& connection) noexcept {
    return is_hop_by_hop(name) || connection.lists(name);
}

}  // namespace cachet::http
