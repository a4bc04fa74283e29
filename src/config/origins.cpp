#include "config/origins.hpp"

#include <simdjson.h>

#include <algorithm>

#include "config/config_file.hpp"
#include "config/dom_fields.hpp"
#include "config/flags.hpp"
#include "config/units.hpp"

namespace cachet::config {
namespace {

namespace dom = simdjson::dom;

constexpr std::string_view kOriginFields =
    "an origin takes servers, connect_timeout, first_byte_timeout, idle_timeout, keepalive, "
    "max_fails, fail_timeout, sni, ca_file, insecure";

// A name that reads the same in a route, a metric label and a log line.
bool is_origin_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    });
}

std::string get_duration(const std::string& where, dom::element value, std::optional<Millis>& out) {
    const std::optional<Millis> ms = duration_of(value);
    if (!ms || *ms == 0) return expected(where, "a duration like 500ms, 2s or 1m", value);
    out = ms;
    return {};
}

std::string get_count(const std::string& where, dom::element value, std::optional<unsigned>& out,
                      unsigned max) {
    std::uint64_t n = 0;
    if (value.get_uint64().get(n) || n > max) {
        return expected(where, "a whole number from 0 to " + std::to_string(max), value);
    }
    out = static_cast<unsigned>(n);
    return {};
}

std::string get_text(const std::string& where, dom::element value, std::string_view what,
                     std::optional<std::string>& out) {
    std::string_view text;
    if (value.get_string().get(text) || text.empty()) return expected(where, what, value);
    out = std::string(text);
    return {};
}

std::string get_flag(const std::string& where, dom::element value, bool& out) {
    if (value.get_bool().get(out)) return expected(where, "true or false", value);
    return {};
}

std::string get_servers(const std::string& where, dom::element value,
                        std::vector<OriginAddress>& out) {
    constexpr std::string_view what = "a URL like \"http://127.0.0.1:9000\"";
    std::string_view one;
    if (!value.get_string().get(one)) {  // one server, written as a string
        auto server = parse_origin_url(one);
        if (!server) return expected(where, server.error(), value);
        out.push_back(*server);
        return {};
    }
    dom::array array;
    if (value.get_array().get(array) || array.size() == 0) {
        return expected(where, "an array of one or more server URLs", value);
    }
    if (array.size() > kMaxServersPerOrigin) {
        return where + ": at most " + std::to_string(kMaxServersPerOrigin) + " servers";
    }
    std::size_t i = 0;
    for (dom::element item : array) {
        const std::string at = where + "[" + std::to_string(i++) + "]";
        std::string_view url;
        if (item.get_string().get(url)) return expected(at, what, item);
        auto server = parse_origin_url(url);
        if (!server) return expected(at, server.error(), item);
        out.push_back(*server);
    }
    return {};
}

std::string parse_origin(const std::string& where, dom::element value, OriginSpec& spec) {
    dom::object object;
    if (value.get_object().get(object)) {
        return expected(where, "an object like {\"servers\": [\"http://127.0.0.1:9000\"]}", value);
    }
    for (auto [name, field] : object) {
        const std::string at = where + "." + std::string(name);
        std::string err;
        if (name == "servers") {
            err = get_servers(at, field, spec.servers);
        } else if (name == "connect_timeout") {
            err = get_duration(at, field, spec.connect_timeout);
        } else if (name == "first_byte_timeout") {
            err = get_duration(at, field, spec.first_byte_timeout);
        } else if (name == "idle_timeout") {
            err = get_duration(at, field, spec.idle_timeout);
        } else if (name == "fail_timeout") {
            err = get_duration(at, field, spec.fail_timeout);
        } else if (name == "keepalive") {
            err = get_count(at, field, spec.keepalive, 65536);
        } else if (name == "max_fails") {
            err = get_count(at, field, spec.max_fails, 1000);
        } else if (name == "sni") {
            err = get_text(at, field, "a host name like \"api.example.com\"", spec.sni);
        } else if (name == "ca_file") {
            err = get_text(at, field, "the path of a PEM file of CA certificates", spec.ca_file);
        } else if (name == "insecure") {
            err = get_flag(at, field, spec.insecure);
        } else {
            return unknown(where, name, kOriginFields);
        }
        if (!err.empty()) return err;
    }
    if (spec.servers.empty()) {
        return where + ": expected servers, e.g. {\"servers\": [\"http://127.0.0.1:9000\"]}";
    }
    return {};
}

Origin settle(const OriginSpec& spec, const Config& c) {
    Origin origin;
    origin.name = spec.name;
    origin.servers = spec.servers;
    origin.connect_timeout = spec.connect_timeout.value_or(c.connect_timeout);
    origin.first_byte_timeout = spec.first_byte_timeout.value_or(c.first_byte_timeout);
    origin.idle_timeout = spec.idle_timeout.value_or(c.origin_idle_timeout);
    origin.keepalive = spec.keepalive.value_or(c.origin_keepalive);
    origin.max_fails = spec.max_fails.value_or(c.origin_max_fails);
    origin.fail_timeout = spec.fail_timeout.value_or(c.origin_fail_timeout);
    origin.sni = spec.sni.value_or("");
    origin.ca_file = spec.ca_file.value_or(c.origin_ca);
    origin.insecure = spec.insecure;
    return origin;
}

std::string names_of(const std::vector<Origin>& origins) {
    std::string out;
    for (const Origin& o : origins) out += (out.empty() ? "" : ", ") + json_quoted(o.name);
    return out;
}

}  // namespace

OriginSpecsResult parse_origins(std::string_view json) {
    dom::parser parser;
    dom::element doc;
    if (auto err = parse_field(parser, json, "origins", doc); !err.empty()) {
        return tl::unexpected(err);
    }
    dom::object object;
    if (doc.get_object().get(object)) {
        return tl::unexpected(expected(
            "origins", "an object of origins by name, like {\"api\": {\"servers\": [...]}}", doc));
    }
    if (object.size() == 0) {
        return tl::unexpected(std::string("origins: expected at least one origin"));
    }
    if (object.size() > kMaxOrigins) {
        return tl::unexpected("origins: at most " + std::to_string(kMaxOrigins) + " origins");
    }
    std::vector<OriginSpec> specs;
    for (auto [name, value] : object) {
        const std::string where = "origins." + std::string(name);
        if (!is_origin_name(name)) {
            return tl::unexpected(where +
                                  ": expected a name of letters, digits, '_', '-' or '.' (at "
                                  "most 64)");
        }
        for (const OriginSpec& seen : specs) {
            if (seen.name == name) return tl::unexpected(where + ": given twice");
        }
        OriginSpec spec;
        spec.name = std::string(name);
        if (auto err = parse_origin(where, value, spec); !err.empty()) return tl::unexpected(err);
        specs.push_back(std::move(spec));
    }
    return specs;
}

std::string resolve_origins(Config& c, const std::vector<OriginSpec>& specs) {
    c.origins.clear();
    for (const OriginSpec& spec : specs) c.origins.push_back(settle(spec, c));
    auto named = [&](std::string_view name) {
        return std::find_if(c.origins.begin(), c.origins.end(),
                            [&](const Origin& o) { return o.name == name; });
    };
    if (c.origin_set) {
        auto existing = named(kDefaultOriginName);
        if (existing != c.origins.end()) {
            existing->servers = {c.origin};
        } else {
            OriginSpec spec;
            spec.name = std::string(kDefaultOriginName);
            spec.servers = {c.origin};
            c.origins.insert(c.origins.begin(), settle(spec, c));
        }
    }
    // A replay that forwards nothing needs no origin: it never opens a connection.
    const bool needs_origin = c.mode != Mode::replay || c.replay_miss == ReplayMiss::forward;
    if (c.origins.empty() && needs_origin) {
        return "--origin: required, e.g. --origin http://127.0.0.1:9000 (or origins in the "
               "config file)";
    }
    auto fallback = named(kDefaultOriginName);
    c.default_origin =
        static_cast<std::uint16_t>(fallback == c.origins.end() ? 0 : fallback - c.origins.begin());
    for (std::size_t i = 0; i < c.routes.size(); ++i) {
        cache::Route& route = c.routes[i];
        if (route.origin.empty()) {
            route.origin_index = c.default_origin;
            continue;
        }
        auto found = named(route.origin);
        if (found == c.origins.end()) {
            return "routes[" + std::to_string(i) + "].origin: no origin named " +
                   json_quoted(route.origin) + " (origins: " + names_of(c.origins) + ")";
        }
        route.origin_index = static_cast<std::uint16_t>(found - c.origins.begin());
    }
    return {};
}

std::string origins_json(const std::vector<Origin>& origins) {
    std::string out = "{";
    for (std::size_t i = 0; i < origins.size(); ++i) {
        const Origin& o = origins[i];
        out += (i ? ", " : "") + json_quoted(o.name) + ": {\"servers\": [";
        for (std::size_t s = 0; s < o.servers.size(); ++s) {
            const OriginAddress& server = o.servers[s];
            out += (s ? ", " : "") +
                   json_quoted((server.tls ? "https://" : "http://") + server.authority);
        }
        out += "], \"connect_timeout\": " + json_quoted(format_duration(o.connect_timeout)) +
               ", \"first_byte_timeout\": " + json_quoted(format_duration(o.first_byte_timeout)) +
               ", \"idle_timeout\": " + json_quoted(format_duration(o.idle_timeout)) +
               ", \"keepalive\": " + std::to_string(o.keepalive) +
               ", \"max_fails\": " + std::to_string(o.max_fails) +
               ", \"fail_timeout\": " + json_quoted(format_duration(o.fail_timeout));
        if (!o.sni.empty()) out += ", \"sni\": " + json_quoted(o.sni);
        if (!o.ca_file.empty()) out += ", \"ca_file\": " + json_quoted(o.ca_file);
        if (o.insecure) out += ", \"insecure\": true";
        out += "}";
    }
    return out + "}";
}

}  // namespace cachet::config
