#pragma once
// The settings cachet has: one row each, with its flag, environment variable, file field,
// --help line and setter (config/flags.cpp reads them; docs/configuration.md's reference is
// generated from them). Included by flags.cpp alone: the table is what a reader looks for
// when adding a setting, apart from how flags, the environment and the file are read.
#include <array>
#include <string>
#include <string_view>

#include "cache/entry.hpp"
#include "cachet/config.hpp"
#include "config/mode_setters.hpp"
#include "config/origins.hpp"
#include "config/routes.hpp"
#include "config/setters.hpp"
#include "config/units.hpp"
#include "http/tokens.hpp"

namespace cachet::config::flag_table {

// A setter returns an empty string when the value is valid, else what was expected.
using Setter = std::string (*)(Config&, std::string_view);

// One row per setting, the only place a setting is declared. From the row: the flag --name,
// the variable `env` (checked below to be CACHET_NAME), the file field name_in_snake_case,
// the JSON types the field takes (by placeholder: "N" a number too, "BOOL" a boolean too),
// the line of --help and of docs/configuration.md's reference. Its value as text, for
// --print-config, is rendered in current_value.cpp, keyed by the name.
struct FlagSpec {
    std::string_view name;   // without the leading "--"
    const char* env;         // environment variable: "CACHET_" + name, upper-cased, - -> _
    std::string_view value;  // placeholder shown in --help
    std::string_view help;
    Setter set;
};

inline constexpr std::array kFlags = {
    FlagSpec{"listen", "CACHET_LISTEN", "HOST:PORT",
             "address clients connect to (default 127.0.0.1:8080; port 0 picks a free one)",
             set_listen},
    FlagSpec{"origin", "CACHET_ORIGIN", "URL",
             "origin server, e.g. http://127.0.0.1:9000: the origin \"default\" (required "
             "unless the file has origins)",
             set_origin},
    FlagSpec{"tls-cert", "CACHET_TLS_CERT", "FILE",
             "certificate chain (PEM) of the TLS listener: --listen's, or --tls-listen's when "
             "given; reloaded on SIGHUP",
             [](Config& c, std::string_view v) { return set_path(c.tls_cert, v); }},
    FlagSpec{"tls-key", "CACHET_TLS_KEY", "FILE", "private key (PEM) of --tls-cert",
             [](Config& c, std::string_view v) { return set_path(c.tls_key, v); }},
    FlagSpec{"tls-listen", "CACHET_TLS_LISTEN", "HOST:PORT",
             "a TLS listener beside the plain --listen one (needs --tls-cert and --tls-key)",
             set_tls_listen},
    FlagSpec{"origin-ca", "CACHET_ORIGIN_CA", "FILE",
             "CA certificates (PEM) that https:// origins are verified against, for origins "
             "that name no ca_file (default: the system's store)",
             [](Config& c, std::string_view v) { return set_path(c.origin_ca, v); }},
    FlagSpec{"workers", "CACHET_WORKERS", "N",
             "worker threads, each with its own loop (default: one per core)", set_workers},
    FlagSpec{"cache-size", "CACHET_CACHE_SIZE", "SIZE", "memory budget of the store (default 256m)",
             [](Config& c, std::string_view v) { return set_size(c.cache_size, v, 1 << 20); }},
    FlagSpec{"max-object-size", "CACHET_MAX_OBJECT_SIZE", "SIZE",
             "larger responses are passed through, not stored (default 64m)",
             [](Config& c, std::string_view v) { return set_size(c.max_object_size, v, 1); }},
    FlagSpec{"connect-timeout", "CACHET_CONNECT_TIMEOUT", "DURATION",
             "origin connect timeout (default 2s; an origin may set its own)",
             [](Config& c, std::string_view v) { return set_duration(c.connect_timeout, v); }},
    FlagSpec{
        "first-byte-timeout", "CACHET_FIRST_BYTE_TIMEOUT", "DURATION",
        "deadline for the origin's whole response head, from the end of the request (default 30s)",
        [](Config& c, std::string_view v) { return set_duration(c.first_byte_timeout, v); }},
    FlagSpec{"origin-idle-timeout", "CACHET_ORIGIN_IDLE_TIMEOUT", "DURATION",
             "longest pause inside an origin response body (default 30s)",
             [](Config& c, std::string_view v) { return set_duration(c.origin_idle_timeout, v); }},
    FlagSpec{"client-timeout", "CACHET_CLIENT_TIMEOUT", "DURATION",
             "closes a client idle, slow to send a request head, or taking none of its response "
             "for this long (default 60s)",
             [](Config& c, std::string_view v) { return set_duration(c.client_timeout, v); }},
    FlagSpec{
        "coalesce-max-waiters", "CACHET_COALESCE_MAX_WAITERS", "N",
        "concurrent misses that wait for one fill per key; more go to the origin (default 4096)",
        [](Config& c, std::string_view v) {
            return parse_count<unsigned>(v, c.coalesce_max_waiters, 0, 1u << 20,
                                         "a number from 0 to 1048576");
        }},
    FlagSpec{"coalesce-timeout", "CACHET_COALESCE_TIMEOUT", "DURATION",
             "a waiter with no response head by then goes to the origin itself (default 5s)",
             [](Config& c, std::string_view v) { return set_duration(c.coalesce_timeout, v); }},
    FlagSpec{"origin-keepalive", "CACHET_ORIGIN_KEEPALIVE", "N",
             "idle origin connections kept per worker (default 64)",
             [](Config& c, std::string_view v) {
                 return parse_count<unsigned>(v, c.origin_keepalive, 0, 65536,
                                              "a number from 0 to 65536");
             }},
    FlagSpec{"origin-max-fails", "CACHET_ORIGIN_MAX_FAILS", "N",
             "an origin server failing this often in a row (connect, reset or timeout before a "
             "response head) is left out of the rotation; 0: never (default 3)",
             [](Config& c, std::string_view v) {
                 return parse_count<unsigned>(v, c.origin_max_fails, 0, 1000,
                                              "a number from 0 to 1000");
             }},
    FlagSpec{"origin-fail-timeout", "CACHET_ORIGIN_FAIL_TIMEOUT", "DURATION",
             "how long a failing origin server is left out before it is tried again (default 10s)",
             [](Config& c, std::string_view v) { return set_duration(c.origin_fail_timeout, v); }},
    FlagSpec{"store-set-cookie", "CACHET_STORE_SET_COOKIE", "BOOL",
             "store responses that carry Set-Cookie (default false)",
             [](Config& c, std::string_view v) { return set_bool(c.store_set_cookie, v); }},
    FlagSpec{"drain-timeout", "CACHET_DRAIN_TIMEOUT", "DURATION",
             "on SIGTERM or SIGINT, in-flight requests get this long to finish (default 10s)",
             [](Config& c, std::string_view v) { return set_duration(c.drain_timeout, v); }},
    FlagSpec{"admin", "CACHET_ADMIN", "HOST:PORT",
             "admin API: health, metrics, stats (default 127.0.0.1:9091; port 0 picks a free "
             "one; off: none)",
             set_admin},
    FlagSpec{"admin-token", "CACHET_ADMIN_TOKEN", "TOKEN",
             "bearer token required by mutating admin endpoints (default: none, they are refused)",
             set_admin_token},
    FlagSpec{"admin-timeout", "CACHET_ADMIN_TIMEOUT", "DURATION",
             "closes an admin connection that has not sent a whole request this long after it "
             "opened or got its last answer (default 10s)",
             [](Config& c, std::string_view v) { return set_duration(c.admin_timeout, v); }},
    FlagSpec{"purge-tag-header", "CACHET_PURGE_TAG_HEADER", "NAME[,NAME]",
             "response fields that tag entries for purge by tag (default Surrogate-Key)",
             set_purge_tag_headers},
    FlagSpec{"access-log", "CACHET_ACCESS_LOG", "off|stdout|PATH",
             "one line per answered request: none, to stdout, or appended to a file that SIGHUP "
             "reopens (default off)",
             set_access_log},
    FlagSpec{"access-log-format", "CACHET_ACCESS_LOG_FORMAT", "json|combined",
             "access log lines as JSON objects, or in the combined format followed by cache "
             "status, origin time and duration (default json)",
             set_access_log_format},
    FlagSpec{"mode", "CACHET_MODE", "proxy|record|replay",
             "proxy: a cache; record: the same, writing every origin exchange to --snapshot; "
             "replay: answer only from --snapshot, never contacting an origin (default proxy)",
             set_mode},
    FlagSpec{"snapshot", "CACHET_SNAPSHOT", "PATH",
             "the snapshot file record writes (on stop) and replay reads (at start)",
             [](Config& c, std::string_view v) { return set_path(c.snapshot, v); }},
    FlagSpec{"replay-miss", "CACHET_REPLAY_MISS", "error|forward",
             "a request the snapshot has no answer for: --replay-miss-status with the key and "
             "the nearest ones, or to the origin and appended to the snapshot (default error)",
             set_replay_miss},
    FlagSpec{"replay-miss-status", "CACHET_REPLAY_MISS_STATUS", "N",
             "the status of an unmatched request in replay (default 504)",
             [](Config& c, std::string_view v) {
                 return parse_count<std::uint16_t>(v, c.replay_miss_status, 400, 599,
                                                   "a status from 400 to 599");
             }},
    FlagSpec{"replay-order", "CACHET_REPLAY_ORDER", "cycle|last",
             "several answers recorded for one key are given in order, then from the first "
             "again or the last one from then on (default cycle)",
             set_replay_order},
    FlagSpec{"replay-date", "CACHET_REPLAY_DATE", "recorded|now",
             "the Date of a replayed answer: the recorded one (frozen, every run identical) or "
             "the time it is served (default recorded)",
             set_replay_date},
    FlagSpec{"replay-latency", "CACHET_REPLAY_LATENCY", "MODEL",
             "delay before a replayed answer: none, recorded, fixed:50ms, uniform:20ms..80ms or "
             "percentiles:p50=5ms,p99=100ms; a route may set its own (default none)",
             set_replay_latency},
    FlagSpec{"replay-latency-scale", "CACHET_REPLAY_LATENCY_SCALE", "FACTOR",
             "multiplies every replay delay, e.g. 0.5 or 2 (default 1)", set_replay_latency_scale},
    FlagSpec{"seed", "CACHET_SEED", "N",
             "seed of the replay's latency draws: the same seed and request sequence give the "
             "same delays (default 0)",
             [](Config& c, std::string_view v) {
                 return parse_count<std::uint64_t>(v, c.seed, 0, ~std::uint64_t{0},
                                                   "a whole number");
             }},
    FlagSpec{"replay-match-host", "CACHET_REPLAY_MATCH_HOST", "BOOL",
             "record and replay key exchanges on the Host too, for a snapshot of several hosts "
             "(default false: method, target and body)",
             [](Config& c, std::string_view v) { return set_bool(c.replay_match_host, v); }},
    FlagSpec{"persist", "CACHET_PERSIST", "PATH",
             "save the store to this file on a graceful stop and load it at start, so a "
             "restarted cachet is warm (default: none)",
             [](Config& c, std::string_view v) { return set_path(c.persist, v); }},
    FlagSpec{"persist-interval", "CACHET_PERSIST_INTERVAL", "DURATION",
             "also save the store this often while serving; 0: only on stop (default 0)",
             [](Config& c, std::string_view v) {
                 if (v == "0" || v == "0s") {  // off: saved on stop only
                     c.persist_interval = 0;
                     return std::string();
                 }
                 return set_duration(c.persist_interval, v);
             }},
    FlagSpec{"persist-partial", "CACHET_PERSIST_PARTIAL", "BOOL",
             "a truncated or corrupt --persist file: load the entries before the damage "
             "(true) or none (false); either way the error is logged (default true)",
             [](Config& c, std::string_view v) { return set_bool(c.persist_partial, v); }},
    FlagSpec{"replay-report", "CACHET_REPLAY_REPORT", "PATH",
             "where replay writes its unmatched requests at exit, as JSON (default: the "
             "snapshot's path + .unmatched.json)",
             [](Config& c, std::string_view v) { return set_path(c.replay_report, v); }},
};

}  // namespace cachet::config::flag_table
