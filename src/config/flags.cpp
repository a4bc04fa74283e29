#include "config/flags.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <thread>

#include "cache/entry.hpp"
#include "config/config_file.hpp"
#include "config/current_value.hpp"
#include "config/mode_setters.hpp"
#include "config/origins.hpp"
#include "config/routes.hpp"
#include "config/setters.hpp"
#include "config/setting_names.hpp"
#include "config/units.hpp"
#include "http/tokens.hpp"

namespace cachet::config {
namespace {

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

constexpr std::array kFlags = {
    FlagSpec{"listen", "CACHET_LISTEN", "HOST:PORT",
             "address clients connect to (default 127.0.0.1:8080; port 0 picks a free one)",
             set_listen},
    FlagSpec{"origin", "CACHET_ORIGIN", "URL",
             "origin server, e.g. http://127.0.0.1:9000: the origin \"default\" (required "
             "unless the file has origins)",
             set_origin},
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

const FlagSpec* find_flag(std::string_view name) {
    for (const auto& f : kFlags) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

// Every row's variable is derived from its name (setting_names.hpp), so the three names of a
// setting never disagree; a row that breaks the rule does not compile.
constexpr bool every_env_name_is_derived() {
    for (const auto& f : kFlags) {
        if (f.env == nullptr || !is_env_name_of(f.name, f.env)) return false;
    }
    return true;
}
static_assert(every_env_name_is_derived(),
              "a row's environment variable must be CACHET_ + its name upper-cased, - -> _");

std::size_t index_of(const FlagSpec& flag) {
    return static_cast<std::size_t>(&flag - kFlags.data());
}

const FlagSpec* find_field(std::string_view field) {
    for (const auto& f : kFlags) {
        if (field_name(f.name) == field) return &f;
    }
    return nullptr;
}

// The JSON types a file field takes besides a string, by the row's placeholder: a count ("N")
// also takes a number and a boolean ("BOOL") also true or false. Derived, so a new row needs
// no extra column.
enum class Kind : std::uint8_t { text, count, boolean };
constexpr Kind kind_of(const FlagSpec& flag) {
    if (flag.value == "N") return Kind::count;
    if (flag.value == "BOOL") return Kind::boolean;
    return Kind::text;
}

bool accepts(Kind kind, JsonType type) {
    switch (type) {
    case JsonType::string: return true;
    case JsonType::number: return kind == Kind::count;
    case JsonType::boolean: return kind == Kind::boolean;
    default: return false;
    }
}

std::string_view json_types(Kind kind) {
    switch (kind) {
    case Kind::count: return "a number or a string";
    case Kind::boolean: return "true, false or a string";
    case Kind::text: return "a string";
    }
    return {};
}

// What the setter expects, in its own words: its complaint about an empty value (every
// setter refuses one), asked of a scratch config.
std::string expectation(const FlagSpec& flag) {
    Config scratch;
    return flag.set(scratch, "");
}

std::string apply(Config& c, const FlagSpec& flag, std::string_view value,
                  std::string_view source) {
    std::string expected = flag.set(c, value);
    if (expected.empty()) return {};
    return std::string(source) + ": expected " + expected + ", got \"" + std::string(value) + "\"";
}

// `file: field: ...`, naming the file, the field and what was expected.
std::string apply_field(Config& c, std::vector<Source>& sources, const FileField& field,
                        std::string_view file) {
    std::string where = std::string(file) + ": " + field.name;
    const FlagSpec* flag = find_field(field.name);
    if (!flag) {
        std::vector<std::string> fields;
        for (const auto& f : kFlags) fields.push_back(field_name(f.name));
        fields.emplace_back("routes");
        fields.emplace_back("origins");
        auto near = nearest_name(field.name, fields);
        return where + ": unknown field" +
               (near ? " (did you mean " + *near + "?)" : " (docs/configuration.md lists them)");
    }
    Kind kind = kind_of(*flag);
    if (!accepts(kind, field.type)) {
        std::string expected = expectation(*flag);
        return where + ": expected " + std::string(json_types(kind)) +
               (expected.empty() ? "" : " (" + expected + ")") + ", got " + describe(field);
    }
    std::string expected = flag->set(c, field.text);
    if (!expected.empty()) return where + ": expected " + expected + ", got " + describe(field);
    sources[index_of(*flag)] = Source::file;
    return {};
}

// One value given on the command line, applied after the file and the environment.
struct FlagValue {
    const FlagSpec* flag;
    std::string_view value;
};

}  // namespace

FlagsResult parse_flags(const std::vector<std::string_view>& args, EnvLookup env) {
    ParsedFlags parsed;
    Config& c = parsed.config;
    parsed.sources.assign(kFlags.size(), Source::default_value);
    // The command line is read first but applied last: --config names the file to apply
    // before the environment, and a flag overrides both.
    std::vector<FlagValue> flag_values;
    std::string_view config_path;
    bool config_path_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--help" || arg == "-h") {
            parsed.action = ParsedFlags::Action::help;
            return parsed;
        }
        if (arg == "--version") {
            parsed.action = ParsedFlags::Action::version;
            return parsed;
        }
        if (arg == "--print-config-reference") {
            parsed.action = ParsedFlags::Action::print_reference;
            return parsed;
        }
        if (arg == "--print-config") {
            parsed.action = ParsedFlags::Action::print_config;
            continue;
        }
        if (arg.substr(0, 2) != "--") {
            return tl::unexpected("unexpected argument \"" + std::string(arg) +
                                  "\" (flags start with --)");
        }
        std::string_view name = arg.substr(2);
        std::string_view value;
        bool has_value = false;
        if (auto eq = name.find('='); eq != std::string_view::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_value = true;
        }
        const FlagSpec* flag = find_flag(name);
        if (!flag && name != "config") {
            std::vector<std::string> names{"config", "print-config"};
            for (const auto& f : kFlags) names.emplace_back(f.name);
            auto near = nearest_name(name, names);
            return tl::unexpected("unknown flag --" + std::string(name) +
                                  (near ? " (did you mean --" + *near + "?)" : " (see --help)"));
        }
        if (!has_value) {
            if (i + 1 >= args.size()) {
                return tl::unexpected("--" + std::string(name) + ": missing value " +
                                      std::string(flag ? flag->value : "PATH"));
            }
            value = args[++i];
        }
        if (!flag) {
            config_path = value;
            config_path_given = true;
        } else {
            flag_values.push_back({flag, value});
        }
    }

    if (!config_path_given) {
        const char* from_env = env ? env("CACHET_CONFIG") : nullptr;
        if (from_env) config_path = from_env;
    } else if (config_path.empty()) {
        return tl::unexpected(std::string("--config: expected the path of a JSON file, got \"\""));
    }
    std::vector<OriginSpec> origin_specs;
    if (!config_path.empty()) {
        std::string path(config_path);
        auto fields = read_config_file(path);
        if (!fields) return tl::unexpected(fields.error());
        for (const auto& field : *fields) {
            if (field.name == "routes") {
                // Not a row of the table: a structure, from the file alone (config/routes.hpp).
                if (field.type != JsonType::array) {
                    return tl::unexpected(path + ": routes: expected an array of routes, got " +
                                          describe(field));
                }
                auto routes = parse_routes(field.json);
                if (!routes) return tl::unexpected(path + ": " + routes.error());
                c.routes = std::move(*routes);
                parsed.routes_source = Source::file;
                continue;
            }
            if (field.name == "origins") {
                if (field.type != JsonType::object) {
                    return tl::unexpected(path +
                                          ": origins: expected an object of origins by name, got " +
                                          describe(field));
                }
                auto specs = parse_origins(field.json);
                if (!specs) return tl::unexpected(path + ": " + specs.error());
                origin_specs = std::move(*specs);
                parsed.origins_source = Source::file;
                continue;
            }
            if (auto err = apply_field(c, parsed.sources, field, path); !err.empty()) {
                return tl::unexpected(err);
            }
        }
    }
    for (const auto& flag : kFlags) {
        const char* value = env ? env(flag.env) : nullptr;
        if (!value || !*value) continue;
        if (auto err = apply(c, flag, value, flag.env); !err.empty()) return tl::unexpected(err);
        parsed.sources[index_of(flag)] = Source::environment;
    }
    for (const auto& given : flag_values) {
        if (auto err = apply(c, *given.flag, given.value, "--" + std::string(given.flag->name));
            !err.empty()) {
            return tl::unexpected(err);
        }
        parsed.sources[index_of(*given.flag)] = Source::flag;
    }
    if (auto err = check_mode(c); !err.empty()) return tl::unexpected(err);
    // Last: an origin's unset timeouts are the flags', whichever source gave those.
    if (auto err = resolve_origins(c, origin_specs); !err.empty()) {
        const bool in_file = err.rfind("--origin", 0) != 0;
        return tl::unexpected(in_file ? std::string(config_path) + ": " + err : err);
    }
    if (c.workers == 0) c.workers = std::max(1u, std::thread::hardware_concurrency());
    if (c.max_object_size > c.cache_size) c.max_object_size = c.cache_size;
    // An entry sizes its body in 32 bits (cache/entry.hpp); larger responses pass, unstored.
    if (c.max_object_size > cache::Entry::max_body_size)
        c.max_object_size = cache::Entry::max_body_size;
    return parsed;
}

std::string help_text() {
    std::string text =
        "cachet: an HTTP/1.1 caching reverse proxy\n\n"
        "usage: cachet --origin http://HOST:PORT [flags]\n"
        "       cachet --config cachet.json [flags]\n"
        "       cachet --mode replay --snapshot api.snapshot [flags]\n"
        "       cachet snapshot ls|show|verify|merge ...   (docs/snapshot-format.md)\n\n"
        "Each setting is a flag, an environment variable and a field of the config file\n"
        "(shown as [VARIABLE, file_field]); a flag beats its variable, which beats the file,\n"
        "which beats the default. See docs/configuration.md.\n\nsettings:\n";
    auto line = [&](std::string left, std::string_view help) {
        left.resize(std::max<std::size_t>(34, left.size() + 2),
                    ' ');  // a long one still gets a gap
        text += left + std::string(help) + "\n";
    };
    for (const auto& f : kFlags) {
        line("  --" + std::string(f.name) + " " + std::string(f.value),
             std::string(f.help) + "  [" + f.env + ", " + field_name(f.name) + "]");
    }
    text += "\nother flags:\n";
    line("  --config PATH",
         "a JSON object of settings by file field, e.g. {\"cache_size\": \"512m\"}  "
         "[CACHET_CONFIG]");
    line("  --print-config", "print the effective settings and their sources as JSON, and exit");
    line("  --help", "this text");
    line("  --version", "print the version");
    return text;
}

std::string_view name(Source source) noexcept {
    switch (source) {
    case Source::default_value: return "default";
    case Source::file: return "file";
    case Source::environment: return "environment";
    case Source::flag: return "flag";
    }
    return "default";
}

namespace {

// A value as JSON of the row's kind: a count as a number, a boolean as true or false, the
// rest as strings (all of which the file accepts back).
std::string json_value(const FlagSpec& flag, const std::string& text) {
    Kind kind = kind_of(flag);
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    if (kind == Kind::count && digits) return text;
    if (kind == Kind::boolean && (text == "true" || text == "false")) return text;
    return json_quoted(text);
}

// A table cell's text with its bars escaped (a `|` in a code span ends the cell too).
std::string escaped_bars(std::string_view text) {
    std::string out(text);
    for (auto bar = out.find('|'); bar != std::string::npos; bar = out.find('|', bar + 2)) {
        out.replace(bar, 1, "\\|");
    }
    return out;
}

}  // namespace

std::string print_config(const ParsedFlags& parsed) {
    std::vector<std::string> lines;
    for (const auto& f : kFlags) {
        auto value = current_value(parsed.config, f.name);
        if (!value) continue;  // a row without a rendering (current_value.hpp)
        // A secret is not printed (a terminal or a CI log may keep it): only that it is set.
        if (f.name == "admin-token" && !value->empty()) value = "(redacted)";
        std::size_t i = index_of(f);
        Source source = i < parsed.sources.size() ? parsed.sources[i] : Source::default_value;
        lines.push_back("  " + json_quoted(field_name(f.name)) +
                        ": {\"value\": " + json_value(f, *value) + ", \"source\": \"" +
                        std::string(name(source)) + "\"}");
    }
    lines.push_back("  \"origins\": {\"value\": " + origins_json(parsed.config.origins) +
                    ", \"source\": \"" + std::string(name(parsed.origins_source)) + "\"}");
    lines.push_back("  \"routes\": {\"value\": " + routes_json(parsed.config.routes) +
                    ", \"source\": \"" + std::string(name(parsed.routes_source)) + "\"}");
    std::string out = "{\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    }
    return out + "}\n";
}

std::string config_reference() {
    std::string out =
        "| field | flag | variable | JSON type | default | meaning |\n"
        "|---|---|---|---|---|---|\n";
    Config defaults;
    for (const auto& f : kFlags) {
        auto value = current_value(defaults, f.name);
        std::string shown = !value           ? "?"
                            : value->empty() ? "none"
                                             : "`" + json_value(f, *value) + "`";
        out += "| `" + field_name(f.name) + "` | `--" + std::string(f.name) + " " +
               escaped_bars(f.value) + "` | `" + f.env + "` | " +
               std::string(json_types(kind_of(f))) + " | " + shown + " | " + escaped_bars(f.help) +
               " |\n";
    }
    return out;
}

std::vector<SettingNames> setting_names() {
    std::vector<SettingNames> names;
    for (const auto& f : kFlags) names.push_back({f.name, f.env, field_name(f.name), f.value});
    return names;
}

}  // namespace cachet::config
