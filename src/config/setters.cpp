#include "config/setters.hpp"

#include <algorithm>
#include <vector>

#include "config/flags.hpp"
#include "config/units.hpp"
#include "http/tokens.hpp"

namespace cachet::config {

std::string set_listen(Config& c, std::string_view v) {
    auto colon = v.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return "HOST:PORT, e.g. 127.0.0.1:8080";
    std::string_view host = v.substr(0, colon);
    std::string_view port = v.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || end != port.data() + port.size() || p > 65535) {
        return "a port from 0 to 65535 after the colon";
    }
    c.listen_host = std::string(host);
    c.listen_port = static_cast<std::uint16_t>(p);
    return {};
}

std::string set_tls_listen(Config& c, std::string_view v) {
    Config parsed;  // the same HOST:PORT syntax as --listen
    if (auto expected = set_listen(parsed, v); !expected.empty()) return expected;
    c.tls_listen_set = true;
    c.tls_listen_host = parsed.listen_host;
    c.tls_listen_port = parsed.listen_port;
    return {};
}

std::string check_tls(const Config& c) {
    if (!c.tls_cert.empty() && c.tls_key.empty())
        return "--tls-key: required with --tls-cert, e.g. --tls-key server.key";
    if (c.tls_cert.empty() && !c.tls_key.empty())
        return "--tls-cert: required with --tls-key, e.g. --tls-cert server.pem";
    if (c.tls_listen_set && c.tls_cert.empty())
        return "--tls-cert: required with --tls-listen, e.g. --tls-cert server.pem";
    return {};
}

std::string set_origin(Config& c, std::string_view v) {
    auto origin = parse_origin_url(v);
    if (!origin) return origin.error();
    c.origin = *origin;
    c.origin_set = true;
    return {};
}

std::string set_workers(Config& c, std::string_view v) {
    return parse_count<unsigned>(v, c.workers, 0, 256,
                                 "a number of workers from 0 (one per core) to 256");
}

std::string set_size(std::size_t& out, std::string_view v, std::size_t min) {
    auto size = parse_size(v);
    if (!size || *size < min) return "a size like 64m, 1g or 4096 (bytes)";
    out = *size;
    return {};
}

std::string set_duration(Millis& out, std::string_view v) {
    auto d = parse_duration(v);
    if (!d || *d == 0) return "a duration like 500ms, 2s or 1m";
    out = *d;
    return {};
}

std::string set_bool(bool& out, std::string_view v) {
    if (v == "true" || v == "1" || v == "yes" || v == "on")
        out = true;
    else if (v == "false" || v == "0" || v == "no" || v == "off")
        out = false;
    else
        return "true or false";
    return {};
}

std::string set_admin(Config& c, std::string_view v) {
    if (v == "off") {
        c.admin_enabled = false;
        return {};
    }
    Config parsed;  // the same HOST:PORT syntax as --listen
    if (auto expected = set_listen(parsed, v); !expected.empty()) return expected + ", or off";
    c.admin_enabled = true;
    c.admin_host = parsed.listen_host;
    c.admin_port = parsed.listen_port;
    return {};
}

// An empty token is none: mutating admin endpoints are then refused (403).
std::string set_admin_token(Config& c, std::string_view v) {
    c.admin_token = std::string(v);
    return {};
}

std::string set_purge_tag_headers(Config& c, std::string_view v) {
    std::vector<std::string> names;
    while (!v.empty()) {
        const std::size_t comma = v.find(',');
        std::string_view name = v.substr(0, comma);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (name.empty() || !std::all_of(name.begin(), name.end(), http::is_tchar)) {
            return "header names separated by commas, e.g. Surrogate-Key,Cache-Tag";
        }
        names.emplace_back(name);
        v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
    }
    if (names.empty()) return "header names separated by commas, e.g. Surrogate-Key,Cache-Tag";
    c.purge_tag_headers = std::move(names);
    return {};
}

// "off", "stdout" or a path (a file named off or stdout is ./off or ./stdout). The file is
// opened at start, where a path that cannot be opened stops cachet (server.cpp).
std::string set_access_log(Config& c, std::string_view v) {
    if (v.empty()) return "off, stdout or the path of a file";
    c.access_log = std::string(v);
    return {};
}

std::string set_path(std::string& out, std::string_view v) {
    out = std::string(v);  // empty: none (what --print-config shows when unset)
    return {};
}

std::string set_access_log_format(Config& c, std::string_view v) {
    if (v == "json")
        c.access_log_format = AccessLogFormat::json;
    else if (v == "combined")
        c.access_log_format = AccessLogFormat::combined;
    else
        return "\"json\" or \"combined\"";
    return {};
}

}  // namespace cachet::config
