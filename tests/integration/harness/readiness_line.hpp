#pragma once
// "NAME listening on 127.0.0.1:PORT": the line each server under test prints once it accepts.
// Only the address right after the prefix counts; anything after it (a note on workers, the
// origin's own address) is ignored.
#include <optional>
#include <string_view>

namespace cachet::integration {

inline std::optional<int> port_in_readiness_line(std::string_view line, std::string_view prefix) {
    if (line.substr(0, prefix.size()) != prefix) return std::nullopt;
    std::string_view address = line.substr(prefix.size());
    address = address.substr(0, address.find_first_of(" \t\r"));
    auto colon = address.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == address.size()) return std::nullopt;
    int port = 0;
    for (char c : address.substr(colon + 1)) {
        if (c < '0' || c > '9' || port > 65535) return std::nullopt;
        port = port * 10 + (c - '0');
    }
    if (port <= 0 || port > 65535) return std::nullopt;
    return port;
}

// The port of the address after `marker` in cachet's "(..., tls HOST:PORT, admin HOST:PORT)".
inline std::optional<int> port_after_marker(std::string_view line, std::string_view marker) {
    auto at = line.find(marker);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view address = line.substr(at + marker.size());
    address = address.substr(0, address.find_first_of("), \t\r"));
    auto colon = address.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == address.size()) return std::nullopt;
    int port = 0;
    for (char c : address.substr(colon + 1)) {
        if (c < '0' || c > '9' || port > 65535) return std::nullopt;
        port = port * 10 + (c - '0');
    }
    if (port <= 0 || port > 65535) return std::nullopt;
    return port;
}

// The admin port, if the line names one.
inline std::optional<int> admin_port_in_readiness_line(std::string_view line) {
    return port_after_marker(line, ", admin ");
}

// The TLS listener's port, if cachet has one.
inline std::optional<int> tls_port_in_readiness_line(std::string_view line) {
    return port_after_marker(line, ", tls ");
}

}  // namespace cachet::integration
