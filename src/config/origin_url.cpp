#include <charconv>

#include "config/flags.hpp"

namespace cachet::config {

tl::expected<OriginAddress, std::string> parse_origin_url(std::string_view url) {
    constexpr std::string_view plain = "http://";
    constexpr std::string_view secure = "https://";
    OriginAddress origin;
    std::string_view rest;
    if (url.substr(0, plain.size()) == plain) {
        rest = url.substr(plain.size());
    } else if (url.substr(0, secure.size()) == secure) {
        rest = url.substr(secure.size());
        origin.tls = true;
        origin.port = 443;
    } else {
        return tl::unexpected(std::string("a URL starting with http:// or https://"));
    }
    auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
        if (rest.substr(slash) != "/") {
            return tl::unexpected(
                std::string("an origin without a path, e.g. http://127.0.0.1:9000"));
        }
        rest = rest.substr(0, slash);
    }
    if (rest.empty()) return tl::unexpected(std::string("a host after the scheme"));
    origin.authority = std::string(rest);
    std::string_view host = rest;
    std::string_view port;
    if (rest.front() == '[') {
        auto close = rest.find(']');
        if (close == std::string_view::npos)
            return tl::unexpected(std::string("a closing ] in the IPv6 address"));
        host = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':')
                return tl::unexpected(std::string("a :port after the IPv6 address"));
            port = rest.substr(close + 2);
        }
    } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    if (host.empty()) return tl::unexpected(std::string("a host after the scheme"));
    origin.host = std::string(host);
    if (!port.empty()) {
        unsigned p = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc{} || end != port.data() + port.size() || p == 0 || p > 65535) {
            return tl::unexpected(std::string("a port from 1 to 65535"));
        }
        origin.port = static_cast<std::uint16_t>(p);
    }
    return origin;
}

}  // namespace cachet::config
