#include "server/reload.hpp"

#include <algorithm>

namespace cachet::server {

Reload reload(const Config& running, const Config& next) {
    Reload out{next, {}};
    Config& c = out.config;
    auto keep = [&](auto member, std::string_view field) {
        if (!(c.*member == running.*member)) out.ignored.push_back(field);
        c.*member = running.*member;
    };
    keep(&Config::listen_host, "listen");
    keep(&Config::listen_port, "listen");
    keep(&Config::workers, "workers");
    keep(&Config::cache_size, "cache_size");
    keep(&Config::coalesce_max_waiters, "coalesce_max_waiters");
    keep(&Config::admin_enabled, "admin");
    keep(&Config::admin_host, "admin");
    keep(&Config::admin_port, "admin");
    keep(&Config::purge_tag_headers, "purge_tag_header");  // the store indexes by them
    // One destination and one format for the process's life, so a log reader never meets a
    // second format in the middle of a file; a SIGHUP reopens the file (rotation) instead.
    keep(&Config::access_log, "access_log");
    keep(&Config::access_log_format, "access_log_format");
    if (c.origin.host != running.origin.host || c.origin.port != running.origin.port ||
        c.origin.authority != running.origin.authority) {
        out.ignored.push_back("origin");
    }
    c.origin = running.origin;
    c.origin_set = running.origin_set;
    // One name per setting, in the order met.
    out.ignored.erase(std::unique(out.ignored.begin(), out.ignored.end()), out.ignored.end());
    // The object limit never exceeds the budget that keeps running (flags.cpp's rule).
    c.max_object_size = std::min(c.max_object_size, c.cache_size);
    return out;
}

}  // namespace cachet::server
