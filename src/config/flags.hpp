#pragma once
// Every setting, declared once as a row of the table in flags.cpp, and read from four sources:
// its default, the config file (--config), its CACHET_* environment variable and its
// command-line flag, each overriding the one before. Every value is validated by the row's
// setter before any worker starts; --print-config shows the result and where each value
// came from. docs/configuration.md is the reader's guide.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cachet/config.hpp"
#include "util/result.hpp"

namespace cachet::config {

// Where a setting's value came from, in increasing precedence.
enum class Source : std::uint8_t { default_value, file, environment, flag };
std::string_view name(Source source) noexcept;  // "default", "file", "environment", "flag"

// What main should do after parsing.
struct ParsedFlags {
    enum class Action { run, help, version, print_config, print_reference } action = Action::run;
    Config config;
    std::vector<Source> sources;                    // one per setting, in the table's order
    Source routes_source = Source::default_value;   // `routes`: the file or nothing
    Source origins_source = Source::default_value;  // `origins`: the file or nothing
};

// The error text names the offending flag or variable and says what was expected.
using FlagsResult = tl::expected<ParsedFlags, std::string>;

// `args` excludes the program name. `env` looks up one environment variable (null when
// unset): main passes getenv, tests pass a table.
using EnvLookup = const char* (*)(const char* name);
FlagsResult parse_flags(const std::vector<std::string_view>& args, EnvLookup env);

std::string help_text();

// The effective configuration as a JSON object, one field per setting:
// {"listen": {"value": "127.0.0.1:8080", "source": "default"}, ...}. The values alone, as a
// config file, reproduce the configuration.
std::string print_config(const ParsedFlags& parsed);

// The reference table of docs/configuration.md (Markdown), generated from the table of
// settings; a unit test checks that the document contains it. Printed by the hidden flag
// --print-config-reference.
std::string config_reference();

// One setting's names and the JSON types its file field accepts, for tests and docs.
struct SettingNames {
    std::string_view flag;  // without "--"
    std::string_view env;
    std::string field;
    std::string_view placeholder;
};
std::vector<SettingNames> setting_names();

// "http://host[:port][/]" -> origin address; the error says what is wrong.
tl::expected<OriginAddress, std::string> parse_origin_url(std::string_view url);

}  // namespace cachet::config
