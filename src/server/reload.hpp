#pragma once
// What a SIGHUP does with a newly parsed configuration: the settings a running process can
// take (timeouts, limits, cache rules) come from the new one; those only a restart can
// change (the listening addresses, the worker count, the store's budget, the origins' names
// and servers, the waiter cap, the access log's destination and format) stay as they run,
// and each one that differs is named so the log can say so. An origin's timeouts and
// limits are taken when its servers stay the same.
// Pure: server.cpp parses, calls this, replaces the snapshot and logs.
#include <string>
#include <string_view>
#include <vector>

#include "cachet/config.hpp"

namespace cachet::server {

struct Reload {
    Config config;                          // what the workers adopt
    std::vector<std::string_view> ignored;  // file field names that need a restart
    // Not empty: the new configuration cannot run on what stays (a route naming an origin
    // that only a restart would add); the running one is kept, and this says why.
    std::string refused;
};

Reload reload(const Config& running, const Config& next);

}  // namespace cachet::server
