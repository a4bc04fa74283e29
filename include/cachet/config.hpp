#pragma once
// The configuration: parsed once (config file, then environment, then flags, each overriding;
// src/config/flags.cpp) into an immutable value that every worker borrows for its lifetime.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cache/route.hpp"
#include "replay/latency.hpp"
#include "util/time.hpp"

namespace cachet {

// What the process is (docs/load-test-stand-in.md): a cache in front of origins; the same,
// writing every origin exchange to a snapshot; or a stand-in answering only from one.
enum class Mode : std::uint8_t { proxy, record, replay };

// What a replay does with a request the snapshot has no answer for.
enum class ReplayMiss : std::uint8_t {
    error,    // --replay-miss-status (504) with a JSON body naming the key and the nearest
    forward,  // to the origin, and the exchange appended to the snapshot (when it ends)
};

// Which of several recorded answers for one key a replay gives: in the order recorded,
// then from the first again (cycle) or the last one from then on (last).
enum class ReplayOrder : std::uint8_t { cycle, last };

// The Date a replayed answer carries: the one recorded (frozen: every run byte-identical),
// or the time it is served, as a live origin's would be.
enum class ReplayDate : std::uint8_t { recorded, now };

// How the access log writes its lines (src/server/access_log_line.hpp).
enum class AccessLogFormat : std::uint8_t { json, combined };

struct OriginAddress {
    std::string host = "127.0.0.1";  // numeric address or name, resolved at start
    std::uint16_t port = 80;
    std::string authority;  // host[:port] as written, the Host header default
    bool tls = false;       // https://: TLS to this server (src/tls/), verified as its origin says
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
    // Its https:// servers: the name sent as SNI and checked in their certificates (empty:
    // each server's host), the CA bundle they are checked against (empty: the system's
    // store), or no check at all (insecure: only when the file says so, and logged at start).
    std::string sni;
    std::string ca_file;
    bool insecure = false;
};

struct Config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;  // 0 = any free port (printed when listening)
    // TLS for clients (src/tls/): the certificate chain and key (PEM files, reloaded on
    // SIGHUP). With them, the --listen listener speaks TLS, unless --tls-listen names a
    // listener of its own for it (then --listen stays plain: both side by side).
    std::string tls_cert;
    std::string tls_key;
    bool tls_listen_set = false;
    std::string tls_listen_host;
    std::uint16_t tls_listen_port = 0;
    std::string origin_ca;  // --origin-ca: the CA bundle of origins that name none
    OriginAddress origin;   // --origin: the servers of the origin named "default"
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
    // Record and replay (src/replay/, docs/load-test-stand-in.md): restart-only.
    Mode mode = Mode::proxy;
    std::string snapshot;  // --snapshot: written by record, read by replay
    ReplayMiss replay_miss = ReplayMiss::error;
    std::uint16_t replay_miss_status = 504;
    ReplayOrder replay_order = ReplayOrder::cycle;
    ReplayDate replay_date = ReplayDate::recorded;
    replay::LatencyModel replay_latency;  // a route's replay_latency overrides it
    double replay_latency_scale = 1.0;
    std::uint64_t seed = 0;          // of the latency draws
    bool replay_match_host = false;  // the Host is part of a recorded exchange's key
    // --persist (src/persist/): the store saved here on a graceful stop (and every
    // persist_interval, when not 0) and loaded from here at start; empty: not persisted.
    std::string persist;
    Millis persist_interval = 0;
    bool persist_partial = true;  // a damaged file: load the entries before the damage
    // The unmatched requests of a replay, written at exit as JSON; empty: the snapshot's
    // path + ".unmatched.json".
    std::string replay_report;
};

}  // namespace cachet
