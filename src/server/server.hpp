#pragma once
// Starts the workers, prints the readiness line, waits for SIGTERM/SIGINT and stops them
// gracefully. Returns the process exit code.
#include "cachet/config.hpp"

namespace cachet::server {

int run_server(const Config& config);

}  // namespace cachet::server
