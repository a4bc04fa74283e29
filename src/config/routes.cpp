#include "config/routes.hpp"

#include <simdjson.h>

#include "config/config_file.hpp"
#include "config/dom_fields.hpp"
#include "config/units.hpp"
#include "http/tokens.hpp"

namespace cachet::config {
namespace {

namespace dom = simdjson::dom;

std::string get_bool(const std::string& where, dom::element value, bool& out) {
    if (value.type() != dom::element_type::BOOL) return expected(where, "true or false", value);
    out = bool(value);
    return {};
}

std::string get_ttl(const std::string& where, dom::element value, std::optional<Seconds>& out) {
    const std::optional<Millis> ms = duration_of(value);
    if (!ms) return expected(where, "a duration like 500ms, 2s or 1m", value);
    out = static_cast<Seconds>((*ms + 999) / 1000);  // whole seconds, rounded up
    return {};
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!http::is_tchar(c)) return false;
    }
    return true;
}

std::string get_names(const std::string& where, dom::element value, std::vector<std::string>& out,
                      std::string_view what) {
    dom::array array;
    if (value.get_array().get(array))
        return expected(where, "an array of " + std::string(what), value);
    std::size_t i = 0;
    for (dom::element item : array) {
        const std::string at = where + "[" + std::to_string(i++) + "]";
        std::string_view name;
        if (item.get_string().get(name) || name.empty()) return expected(at, what, item);
        out.emplace_back(name);
    }
    return {};
}

std::string parse_match(const std::string& where, dom::element value, cache::RouteMatch& match) {
    dom::object object;
    if (value.get_object().get(object)) {
        return expected(where, "an object like {\"path_prefix\": \"/v1/\"}", value);
    }
    int paths = 0;
    for (auto [key, field] : object) {
        const std::string at = where + "." + std::string(key);
        std::string_view text;
        if (key == "host") {
            if (field.get_string().get(text) || text.empty()) {
                return expected(at, "a host name like \"api.example.com\"", field);
            }
            match.host.clear();
            for (char c : text) match.host += (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
            if (match.host.back() == '.') match.host.pop_back();
            continue;
        }
        if (key == "path") {
            match.kind = cache::PathMatch::exact;
        } else if (key == "path_prefix") {
            match.kind = cache::PathMatch::prefix;
        } else if (key == "path_glob") {
            match.kind = cache::PathMatch::glob;
        } else {
            return unknown(where, key, "match takes host and one of path, path_prefix, path_glob");
        }
        ++paths;
        if (field.get_string().get(text) || text.empty() || text.front() != '/' ||
            text.find_first_of("?#") != std::string_view::npos) {
            return expected(at, "a path starting with /, without ? or #", field);
        }
        match.path = std::string(text);
    }
    if (paths != 1) return where + ": expected exactly one of path, path_prefix, path_glob";
    return {};
}

std::string parse_query(const std::string& where, dom::element value, cache::KeyRules& key) {
    constexpr std::string_view what = "\"drop_all\", {\"drop\": [names]} or {\"keep\": [names]}";
    std::string_view text;
    if (!value.get_string().get(text)) {
        if (text != "drop_all") return expected(where, what, value);
        key.query = cache::QueryRule::drop_all;
        return {};
    }
    dom::object object;
    if (value.get_object().get(object) || object.size() != 1) return expected(where, what, value);
    for (auto [mode, names] : object) {
        const std::string at = where + "." + std::string(mode);
        if (mode == "drop") {
            key.query = cache::QueryRule::drop;
        } else if (mode == "keep") {
            key.query = cache::QueryRule::keep;
        } else {
            return unknown(where, mode, "query takes drop or keep");
        }
        if (auto err = get_names(at, names, key.names, "parameter names"); !err.empty()) return err;
    }
    for (const auto& name : key.names) {
        if (key.query == cache::QueryRule::drop && name == "tracking") {
            for (auto p : cache::kTrackingParameters) key.patterns.emplace_back(p);
        } else {
            key.patterns.push_back(name);
        }
    }
    return {};
}

std::string parse_cache_key(const std::string& where, dom::element value, cache::KeyRules& key) {
    dom::object object;
    if (value.get_object().get(object)) {
        return expected(where, "an object like {\"query\": \"drop_all\"}", value);
    }
    for (auto [name, field] : object) {
        const std::string at = where + "." + std::string(name);
        std::string err;
        if (name == "query") {
            err = parse_query(at, field, key);
        } else if (name == "sort_query") {
            err = get_bool(at, field, key.sort_query);
        } else if (name == "headers") {
            err = get_names(at, field, key.headers, "field names");
            for (std::size_t i = 0; err.empty() && i < key.headers.size(); ++i) {
                if (!is_token(key.headers[i])) {
                    err = at + "[" + std::to_string(i) + "]: expected a field name, got " +
                          json_quoted(key.headers[i]);
                }
            }
        } else if (name == "cookies") {
            err = get_names(at, field, key.cookies, "cookie names");
            for (std::size_t i = 0; err.empty() && i < key.cookies.size(); ++i) {
                if (!is_token(key.cookies[i])) {
                    err = at + "[" + std::to_string(i) + "]: expected a cookie name, got " +
                          json_quoted(key.cookies[i]);
                }
            }
        } else {
            return unknown(where, name, "cache_key takes query, sort_query, headers, cookies");
        }
        if (!err.empty()) return err;
    }
    return {};
}

// A route's name: a label value of its own, so not one of cachet's ("none", "other").
std::string get_name(const std::string& where, dom::element value, std::string& out) {
    constexpr std::string_view what = "a name of 1 to 64 printable characters, like \"api\"";
    std::string_view text;
    if (value.get_string().get(text) || text.empty() || text.size() > 64) {
        return expected(where, what, value);
    }
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return expected(where, what, value);
    }
    if (text == "none" || text == "other") {
        return where + ": \"" + std::string(text) +
               "\" is cachet's own label (requests of no route, routes past the 62 names "
               "counted), choose another name";
    }
    out = std::string(text);
    return {};
}

void append_names(std::string& out, const std::vector<std::string>& names) {
    out += "[";
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + json_quoted(names[i]);
    out += "]";
}

// {"kind": "json", "ignore": ["/id", "/meta/requestId"]}; "json" alone means {"kind": "json"}.
std::string parse_body_key(const std::string& at, dom::element value, cache::BodyKeyRules& rules) {
    auto kind_of = [&](std::string_view text) -> std::string {
        if (text == "raw")
            rules.kind = cache::BodyKeyKind::raw;
        else if (text == "json")
            rules.kind = cache::BodyKeyKind::json;
        else if (text == "json_rpc")
            rules.kind = cache::BodyKeyKind::json_rpc;
        else
            return expected(at + ".kind", "\"raw\", \"json\" or \"json_rpc\"", value);
        return {};
    };
    std::string_view text;
    if (!value.get_string().get(text)) return kind_of(text);
    dom::object object;
    if (value.get_object().get(object)) {
        return expected(
            at, "\"json\" or an object like {\"kind\": \"json\", \"ignore\": [\"/id\"]}", value);
    }
    bool has_kind = false;
    for (auto [name, field] : object) {
        const std::string inner = at + "." + std::string(name);
        if (name == "kind") {
            if (field.get_string().get(text))
                return expected(inner, "\"raw\", \"json\" or \"json_rpc\"", field);
            if (auto err = kind_of(text); !err.empty()) return err;
            has_kind = true;
        } else if (name == "ignore") {
            dom::array pointers;
            if (field.get_array().get(pointers))
                return expected(inner, "an array of JSON Pointers like [\"/id\"]", field);
            std::size_t i = 0;
            for (dom::element item : pointers) {
                const std::string where = inner + "[" + std::to_string(i++) + "]";
                if (item.get_string().get(text))
                    return expected(where, "a JSON Pointer like \"/id\"", item);
                auto pointer = json::parse_json_pointer(text);
                if (!pointer) return where + ": " + pointer.error();
                rules.ignore.emplace_back(text);
                rules.ignore_pointers.push_back(std::move(*pointer));
            }
            if (rules.ignore_pointers.size() > json::kMaxPointers)
                return inner + ": at most " + std::to_string(json::kMaxPointers) + " pointers";
        } else {
            return unknown(at, name, "body_key takes kind, ignore");
        }
    }
    if (!has_kind) return at + ": expected a kind, e.g. {\"kind\": \"json\"}";
    if (!rules.ignore.empty() && rules.kind == cache::BodyKeyKind::raw)
        return at + ".ignore: only for the kinds json and json_rpc";
    return {};
}

std::string body_key_json(const cache::BodyKeyRules& rules) {
    const char* kind = rules.kind == cache::BodyKeyKind::raw    ? "raw"
                       : rules.kind == cache::BodyKeyKind::json ? "json"
                                                                : "json_rpc";
    std::string out = "{\"kind\": \"" + std::string(kind) + "\"";
    if (!rules.ignore.empty()) {
        out += ", \"ignore\": ";
        append_names(out, rules.ignore);
    }
    return out + "}";
}

std::string parse_route(const std::string& where, dom::element value, cache::Route& route) {
    dom::object object;
    if (value.get_object().get(object)) {
        return expected(where, "an object like {\"match\": {\"path_prefix\": \"/\"}}", value);
    }
    bool matched = false;
    cache::RouteRules& rules = route.rules;
    for (auto [name, field] : object) {
        const std::string at = where + "." + std::string(name);
        std::string err;
        if (name == "match") {
            matched = true;
            err = parse_match(at, field, route.match);
        } else if (name == "name") {
            err = get_name(at, field, route.name);
        } else if (name == "bypass") {
            err = get_bool(at, field, rules.bypass);
        } else if (name == "ignore_no_cache") {
            err = get_bool(at, field, rules.ignore_no_cache);
        } else if (name == "store_set_cookie") {
            err = get_bool(at, field, rules.response.store_set_cookie);
        } else if (name == "strip_set_cookie") {
            err = get_bool(at, field, rules.response.strip_set_cookie);
        } else if (name == "default_ttl") {
            err = get_ttl(at, field, rules.response.default_ttl);
        } else if (name == "forced_ttl") {
            err = get_ttl(at, field, rules.response.forced_ttl);
        } else if (name == "cache_key") {
            err = parse_cache_key(at, field, rules.key);
        } else if (name == "body_key") {
            err = parse_body_key(at, field, rules.body_key);
        } else if (name == "replay_latency") {
            std::string_view text;
            if (field.get_string().get(text))
                return expected(at, "a latency like fixed:50ms", field);
            auto model = replay::parse_latency(text);
            if (!model) return at + ": expected " + model.error() + ", got " + json_quoted(text);
            route.replay_latency = std::move(*model);
        } else if (name == "origin") {
            std::string_view text;
            if (field.get_string().get(text) || text.empty()) {
                return expected(at, "the name of an origin in origins", field);
            }
            route.origin = std::string(text);
        } else {
            return unknown(where, name,
                           "a route takes match, name, origin, bypass, default_ttl, forced_ttl, "
                           "ignore_no_cache, store_set_cookie, strip_set_cookie, cache_key, "
                           "body_key, replay_latency");
        }
        if (!err.empty()) return err;
    }
    if (!matched) return where + ": expected a match, e.g. {\"match\": {\"path_prefix\": \"/\"}}";
    if (route.name.empty()) route.name = cache::default_route_name(route.match);
    return {};
}

std::string ttl_json(Seconds seconds) {
    return json_quoted(format_duration(static_cast<Millis>(seconds) * 1000));
}

}  // namespace

RoutesResult parse_routes(std::string_view json) {
    dom::parser parser;
    dom::element doc;
    if (auto err = parse_field(parser, json, "routes", doc); !err.empty()) {
        return tl::unexpected(err);
    }
    dom::array array;
    if (doc.get_array().get(array)) {
        return tl::unexpected(expected("routes", "an array of routes", doc));
    }
    std::vector<cache::Route> routes;
    std::size_t i = 0;
    for (dom::element item : array) {
        cache::Route route;
        if (auto err = parse_route("routes[" + std::to_string(i++) + "]", item, route);
            !err.empty()) {
            return tl::unexpected(err);
        }
        route.rules_request = route.rules.rule_the_request();
        routes.push_back(std::move(route));
    }
    return routes;
}

std::string routes_json(const std::vector<cache::Route>& routes) {
    std::string out = "[";
    for (std::size_t r = 0; r < routes.size(); ++r) {
        const cache::Route& route = routes[r];
        const cache::RouteRules& rules = route.rules;
        out += r ? ", {" : "{";
        out += "\"match\": {";
        if (!route.match.host.empty()) out += "\"host\": " + json_quoted(route.match.host) + ", ";
        switch (route.match.kind) {
        case cache::PathMatch::exact: out += "\"path\": "; break;
        case cache::PathMatch::prefix: out += "\"path_prefix\": "; break;
        case cache::PathMatch::glob: out += "\"path_glob\": "; break;
        }
        out += json_quoted(route.match.path) + "}";
        if (!route.origin.empty()) out += ", \"origin\": " + json_quoted(route.origin);
        if (route.name != cache::default_route_name(route.match))
            out += ", \"name\": " + json_quoted(route.name);
        if (rules.bypass) out += ", \"bypass\": true";
        if (rules.response.default_ttl)
            out += ", \"default_ttl\": " + ttl_json(*rules.response.default_ttl);
        if (rules.response.forced_ttl)
            out += ", \"forced_ttl\": " + ttl_json(*rules.response.forced_ttl);
        if (rules.ignore_no_cache) out += ", \"ignore_no_cache\": true";
        if (rules.body_key.kind != cache::BodyKeyKind::none)
            out += ", \"body_key\": " + body_key_json(rules.body_key);
        if (route.replay_latency)
            out += ", \"replay_latency\": " + json_quoted(route.replay_latency->text);
        if (rules.response.store_set_cookie) out += ", \"store_set_cookie\": true";
        if (rules.response.strip_set_cookie) out += ", \"strip_set_cookie\": true";
        const cache::KeyRules& key = rules.key;
        if (key.changes_key()) {
            std::string parts;
            auto part = [&](std::string_view name) {
                parts += parts.empty() ? "\"" : ", \"";
                parts.append(name).append("\": ");
            };
            switch (key.query) {
            case cache::QueryRule::as_sent: break;
            case cache::QueryRule::drop_all:
                part("query");
                parts += "\"drop_all\"";
                break;
            case cache::QueryRule::drop:
            case cache::QueryRule::keep:
                part("query");
                parts += key.query == cache::QueryRule::drop ? "{\"drop\": " : "{\"keep\": ";
                append_names(parts, key.names);
                parts += "}";
                break;
            }
            if (key.sort_query) {
                part("sort_query");
                parts += "true";
            }
            if (!key.headers.empty()) {
                part("headers");
                append_names(parts, key.headers);
            }
            if (!key.cookies.empty()) {
                part("cookies");
                append_names(parts, key.cookies);
            }
            out += ", \"cache_key\": {" + parts + "}";
        }
        out += "}";
    }
    return out + "]";
}

}  // namespace cachet::config
