#pragma once
// The figures /metrics and /stats report, summed over every counter block when asked, with
// the store's and the process's own. Plain data: the formatters are pure functions of it.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "admin/counters.hpp"
#include "admin/top_keys.hpp"
#include "proxy/drill.hpp"

namespace cachet::admin {

// One origin's figures, summed over the workers, and its servers' health now.
struct OriginFigures {
    std::string name;  // the origin's label: its name (config/origins.hpp)
    std::uint64_t requests = 0;
    std::array<std::uint64_t, kErrcCount> errors{};
    std::array<std::uint64_t, kLatencyBuckets> latency{};  // per bucket, not cumulative
    std::uint64_t latency_sum_us = 0;
    std::array<std::uint64_t, proxy::kDrillKindCount> drill_requests{};  // by kind slot
    std::uint64_t tls_handshakes = 0;  // full handshakes with its https:// servers
    std::uint64_t tls_resumed = 0;     // and those that resumed a session
    struct Server {
        std::string authority;
        bool up = true;  // in the rotation (proxy/server_health.hpp)
    };
    std::vector<Server> servers;
};

struct Snapshot {
    std::vector<OriginFigures> origins;                       // by index in Config::origins
    std::array<std::uint64_t, kCacheStatusCount> requests{};  // over every route
    // By route slot, then status; route_labels names the slots given so far (the rest are 0).
    std::array<std::array<std::uint64_t, kCacheStatusCount>, kRouteSlots> route_requests{};
    std::vector<std::string> route_labels;
    std::uint64_t client_received_bytes = 0;
    std::uint64_t client_sent_bytes = 0;
    std::uint64_t coalesced_waiters = 0;
    std::uint64_t replay_answered = 0;
    std::uint64_t replay_unmatched = 0;
    std::uint64_t replay_forwarded = 0;
    std::uint64_t recorded = 0;
    std::uint64_t record_skipped = 0;
    std::uint64_t body_key_fallbacks = 0;
    std::uint64_t purges = 0;
    std::uint64_t tls_handshakes = 0;  // TLS listeners: full, resumed, failed
    std::uint64_t tls_resumed = 0;
    std::uint64_t tls_failures = 0;
    std::int64_t client_connections = 0;
    std::int64_t origin_connections = 0;
    std::uint64_t store_entries = 0;
    std::uint64_t store_bytes = 0;
    std::uint64_t store_budget_bytes = 0;
    std::uint64_t store_evictions = 0;
    std::uint64_t store_index_bytes = 0;  // the purge indexes (StoreStats::index_bytes)
    std::uint64_t resident_memory_bytes = 0;
    std::vector<TopKey> top_keys;      // most estimated hits first (/stats only)
    std::vector<proxy::Drill> drills;  // running, by origin (proxy/drill_board.hpp)
    Millis drills_now = 0;             // the loop clock their deadlines were read against
    unsigned workers = 0;
    bool ready = false;

    std::uint64_t requests_of(CacheStatus s) const noexcept {
        return requests[static_cast<std::size_t>(s)];
    }
};

// Adds one block's counters (read relaxed) to the snapshot, its origin counters to the
// snapshot's origins of the same index.
void add_counters(Snapshot& snapshot, const WorkerCounters& counters) noexcept;

// The process's resident set from /proc/self/statm; 0 when it cannot be read.
std::uint64_t resident_memory_bytes() noexcept;

// The latency quantile q (0..1) estimated from the histogram, in seconds (linear within
// a bucket, as Prometheus' histogram_quantile does); 0 with no observations.
double latency_quantile(const OriginFigures& origin, double q) noexcept;

}  // namespace cachet::admin
