#pragma once
// The configuration: parsed once (config file, then environment, then flags, each overriding;
// src/config/flags.cpp) into an immutable value that every worker borrows for its lifetime.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cache/route.hpp"
#include "util/time.hpp"

namespace cachet {

// How the access log writes its lines (src/server/access_log_line.hpp).
enum class AccessLogFormat : std::uint8_t { json, combined };

struct OriginAddress {
    std::string host = "127.0.0.1";  // numeric address or name, resolved at start
    std::uint16_t port = 80;
    std::string authority;  // host[:port] as written, the Host header default
};

// A named origin: one or more servers, used round robin, each left out of the rotation for
// fail_timeout after max_fails failures in a row (proxy/server_health.hpp). From the config
// file's `origins`, or --origin as the origin named "default"; a setting an origin does not
// give is the flag's of the same meaning (docs/configuration.md, "Origins").
struct Origin {
    std::string name;
    std::vector<OriginAddress> servers;  // never empty
    Millis connect_timeout = 2'000;
    Millis first_byte_timeout = 30'000;
    Millis idle_timeout = 30'000;
    unsigned keepalive = 64;  // idle connections kept per server and worker
    unsigned max_fails = 3;   // failures in a row (connect, reset or timeout before a head)
    Millis fail_timeout = 10'000;
};

struct Config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;  // 0 = any free port (printed when listening)
    OriginAddress origin;              // --origin: the servers of the origin named "default"
    bool origin_set = false;
    unsigned workers = 0;                     // 0 = one per core
    std::size_t cache_size = 256u << 20;      // bytes, the store's budget
    std::size_t max_object_size = 64u << 20;  // bytes; larger responses pass, unstored
    Millis connect_timeout = 2'000;
    Millis first_byte_timeout = 30'000;    // request sent -> response head
    Millis origin_idle_timeout = 30'000;   // between two reads of a response body
    Millis client_timeout = 60'000;        // idle keep-alive and slow request heads
    unsigned coalesce_max_waiters = 4096;  // per key; more misses go to the origin alone
    Millis coalesce_timeout = 5'000;       // a waiter without a response head by then fetches alone
    unsigned origin_keepalive = 64;        // idle origin connections kept per worker
    unsigned origin_max_fails = 3;         // a server failing this often in a row is left out
    Millis origin_fail_timeout = 10'000;   // for this long, then tried again
    bool store_set_cookie = false;
    Millis drain_timeout = 10'000;  // SIGTERM: in-flight requests get this long to finish
    // The admin API (src/admin/): its own listener, loopback by default; off: none.
    bool admin_enabled = true;
    std::string admin_host = "127.0.0.1";
    std::uint16_t admin_port = 9091;  // 0 = any free port (printed when listening)
    std::string admin_token;          // empty: mutating admin endpoints are refused (403)
    Millis admin_timeout = 10'000;    // an admin client's whole request, from connect or answer
    // Response fields whose values (space- or comma-separated) tag the stored entry for
    // purges by tag.
    std::vector<std::string> purge_tag_headers{"Surrogate-Key"};
    // The access log (src/server/access_log.hpp): one line per answered request, to "off"
    // (none), "stdout" or the path of a file, appended to and reopened on SIGHUP.
    std::string access_log = "off";
    AccessLogFormat access_log_format = AccessLogFormat::json;
    // Cache rules per host and path (config file only, docs/configuration.md "Routes"),
    // matched in order; none matching: the rules above.
    std::vector<cache::Route> routes;
    // Every origin, resolved (config/origins.hpp): never empty once parsed. A request whose
    // route names none goes to origins[default_origin]. Restart-only but for their timeouts
    // and limits (server/reload.cpp).
    std::vector<Origin> origins;
    std::uint16_t default_origin = 0;
};

}  // namespace cachet
