#pragma once
// Command-line flags and their CACHET_* environment variables. A flag given on the command
// line wins over its environment variable; both are validated before any worker starts.
#include <string>
#include <string_view>
#include <vector>

#include "cachet/config.hpp"
#include "util/result.hpp"

namespace cachet::config {

// What main should do after parsing.
struct ParsedFlags {
    enum class Action { run, help, version } action = Action::run;
    Config config;
};

// The error text names the offending flag or variable and says what was expected.
using FlagsResult = tl::expected<ParsedFlags, std::string>;

// `args` excludes the program name. `env` looks up one environment variable (null when
// unset): main passes getenv, tests pass a table.
using EnvLookup = const char* (*)(const char* name);
FlagsResult parse_flags(const std::vector<std::string_view>& args, EnvLookup env);

std::string help_text();

// "http://host[:port][/]" -> origin address; the error says what is wrong.
tl::expected<OriginAddress, std::string> parse_origin_url(std::string_view url);

}  // namespace cachet::config
