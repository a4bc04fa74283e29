#include "server/reload.hpp"

#include <algorithm>

namespace cachet::server {
namespace {

// Servers, and how TLS to them is checked: the client contexts are made at start.
bool same_servers(const Origin& a, const Origin& b) {
    if (a.name != b.name || a.servers.size() != b.servers.size()) return false;
    if (a.sni != b.sni || a.ca_file != b.ca_file || a.insecure != b.insecure) return false;
    for (std::size_t i = 0; i < a.servers.size(); ++i) {
        if (a.servers[i].host != b.servers[i].host || a.servers[i].port != b.servers[i].port ||
            a.servers[i].authority != b.servers[i].authority ||
            a.servers[i].tls != b.servers[i].tls) {
            return false;
        }
    }
    return true;
}

// The running process's origins and servers stay (the workers' pools and the servers'
// health are built on them); the new timeouts and limits are taken when the servers are
// the same. Routes are pointed at the origins that stay, by name.
void keep_origin_layout(const Config& running, Reload& out) {
    Config& c = out.config;
    const bool same =
        c.origins.size() == running.origins.size() &&
        std::equal(c.origins.begin(), c.origins.end(), running.origins.begin(), same_servers);
    if (!same) {
        out.ignored.push_back("origins");
        c.origins = running.origins;
        c.default_origin = running.default_origin;
    }
    for (std::size_t i = 0; i < c.routes.size(); ++i) {
        cache::Route& route = c.routes[i];
        if (route.origin.empty()) {
            route.origin_index = c.default_origin;
            continue;
        }
        auto found = std::find_if(c.origins.begin(), c.origins.end(),
                                  [&](const Origin& o) { return o.name == route.origin; });
        if (found == c.origins.end()) {
            out.refused = "routes[" + std::to_string(i) + "].origin: \"" + route.origin +
                          "\" is not a running origin (origins change only on restart)";
            return;
        }
        route.origin_index = static_cast<std::uint16_t>(found - c.origins.begin());
    }
}

}  // namespace

Reload reload(const Config& running, const Config& next) {
    Reload out{next, {}, {}};
    Config& c = out.config;
    auto keep = [&](auto member, std::string_view field) {
        if (!(c.*member == running.*member)) out.ignored.push_back(field);
        c.*member = running.*member;
    };
    keep(&Config::listen_host, "listen");
    keep(&Config::listen_port, "listen");
    // Which listeners speak TLS, and from which files: a SIGHUP reads the files again
    // (tls/server_certificate.hpp), but the listeners and paths are the start's.
    keep(&Config::tls_cert, "tls_cert");
    keep(&Config::tls_key, "tls_key");
    keep(&Config::tls_listen_set, "tls_listen");
    keep(&Config::tls_listen_host, "tls_listen");
    keep(&Config::tls_listen_port, "tls_listen");
    keep(&Config::origin_ca, "origin_ca");
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
    // What the process records to or replays from was loaded or opened at start; the replay's
    // answers (miss status, order, date, latency) follow a reload.
    keep(&Config::mode, "mode");
    keep(&Config::snapshot, "snapshot");
    keep(&Config::replay_report, "replay_report");
    keep(&Config::persist, "persist");
    keep(&Config::persist_interval, "persist_interval");
    keep(&Config::replay_miss, "replay_miss");
    keep(&Config::replay_match_host, "replay_match_host");  // the keys were recorded so
    keep(&Config::replay_date, "replay_date");  // the answers were loaded with or without Date
    if (c.origin.host != running.origin.host || c.origin.port != running.origin.port ||
        c.origin.authority != running.origin.authority || c.origin.tls != running.origin.tls) {
        out.ignored.push_back("origin");
    }
    c.origin = running.origin;
    c.origin_set = running.origin_set;
    keep_origin_layout(running, out);
    // One name per setting, in the order met.
    out.ignored.erase(std::unique(out.ignored.begin(), out.ignored.end()), out.ignored.end());
    // The object limit never exceeds the budget that keeps running (flags.cpp's rule).
    c.max_object_size = std::min(c.max_object_size, c.cache_size);
    return out;
}

}  // namespace cachet::server
