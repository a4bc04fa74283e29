#pragma once
// Starts the workers, prints the readiness line, waits for SIGTERM/SIGINT and stops them
// gracefully; on SIGHUP, reads the configuration again (`reparse`: the config file, the
// environment and the flags, as at start) and hands it to the workers. Returns the process
// exit code.
#include <functional>
#include <string>

#include "cachet/config.hpp"
#include "util/result.hpp"

namespace cachet::server {

using Reparse = std::function<tl::expected<Config, std::string>()>;

int run_server(const Config& config, const Reparse& reparse);

}  // namespace cachet::server
