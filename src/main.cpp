// cachet: wiring only. Config file, environment and flags -> config -> server; or the
// `cachet snapshot` command.
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "config/flags.hpp"
#include "server/server.hpp"
#include "snapshot/command.hpp"

int main(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "snapshot") {
        return cachet::snapshot::run_command(std::span(args).subspan(1), stdout, stderr);
    }
    auto parsed = cachet::config::parse_flags(
        args, [](const char* name) -> const char* { return std::getenv(name); });
    if (!parsed) {
        std::fprintf(stderr, "cachet: %s\n", parsed.error().c_str());
        return 2;
    }
    using Action = cachet::config::ParsedFlags::Action;
    if (parsed->action == Action::help) {
        std::fputs(cachet::config::help_text().c_str(), stdout);
        return 0;
    }
    if (parsed->action == Action::print_config) {
        std::fputs(cachet::config::print_config(*parsed).c_str(), stdout);
        return 0;
    }
    if (parsed->action == Action::print_reference) {
        std::fputs(cachet::config::config_reference().c_str(), stdout);
        return 0;
    }
    if (parsed->action == Action::version) {
        std::puts("cachet " CACHET_VERSION);
        return 0;
    }
    // SIGHUP reads the configuration again the same way: file, environment, then flags.
    auto reparse = [args]() -> tl::expected<cachet::Config, std::string> {
        auto again = cachet::config::parse_flags(
            args, [](const char* name) -> const char* { return std::getenv(name); });
        if (!again) return tl::unexpected(again.error());
        return again->config;
    };
    return cachet::server::run_server(parsed->config, reparse);
}
