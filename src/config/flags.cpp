#include "config/flags.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "config/config_file.hpp"
#include "config/current_value.hpp"
#include "config/flag_table.hpp"
#include "config/origins.hpp"
#include "config/routes.hpp"
#include "config/setting_names.hpp"

namespace cachet::config {
namespace {

using flag_table::FlagSpec;
using flag_table::kFlags;

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
    if (auto err = check_tls(c); !err.empty()) return tl::unexpected(err);
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
