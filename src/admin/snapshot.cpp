#include "admin/snapshot.hpp"

#include <unistd.h>

#include <cstdio>

namespace cachet::admin {
namespace {

std::uint64_t read(const Counter& c) noexcept { return c.load(std::memory_order_relaxed); }

}  // namespace

void add_counters(Snapshot& s, const WorkerCounters& c) noexcept {
    for (std::size_t slot = 0; slot < kRouteSlots; ++slot) {
        for (std::size_t i = 0; i < kCacheStatusCount; ++i) {
            const std::uint64_t n = read(c.requests[slot][i]);
            s.route_requests[slot][i] += n;
            s.requests[i] += n;
        }
    }
    s.client_received_bytes += read(c.client_received_bytes);
    s.client_sent_bytes += read(c.client_sent_bytes);
    s.coalesced_waiters += read(c.coalesced_waiters);
    s.replay_answered += read(c.replay_answered);
    s.replay_unmatched += read(c.replay_unmatched);
    s.replay_forwarded += read(c.replay_forwarded);
    s.recorded += read(c.recorded);
    s.record_skipped += read(c.record_skipped);
    s.body_key_fallbacks += read(c.body_key_fallbacks);
    for (std::size_t o = 0; o < c.origins.size() && o < s.origins.size(); ++o) {
        const OriginCounters& from = c.origins[o];
        OriginFigures& to = s.origins[o];
        to.requests += read(from.requests);
        for (std::size_t i = 0; i < kErrcCount; ++i) to.errors[i] += read(from.errors[i]);
        for (std::size_t i = 0; i < kLatencyBuckets; ++i) to.latency[i] += read(from.latency[i]);
        to.latency_sum_us += read(from.latency_sum_us);
        for (std::size_t i = 0; i < proxy::kDrillKindCount; ++i)
            to.drill_requests[i] += read(from.drill_requests[i]);
        to.tls_handshakes += read(from.tls_handshakes);
        to.tls_resumed += read(from.tls_resumed);
    }
    s.purges += read(c.purges);
    s.tls_handshakes += read(c.tls_handshakes);
    s.tls_resumed += read(c.tls_resumed);
    s.tls_failures += read(c.tls_failures);
    s.client_connections += c.client_connections.load(std::memory_order_relaxed);
    s.origin_connections += c.origin_connections.load(std::memory_order_relaxed);
}

std::uint64_t resident_memory_bytes() noexcept {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long long size = 0, resident = 0;
    int n = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    if (n != 2) return 0;
    return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

double latency_quantile(const OriginFigures& s, double q) noexcept {
    std::uint64_t total = 0;
    for (auto n : s.latency) total += n;
    if (total == 0) return 0;
    const double rank = q * static_cast<double>(total);
    std::uint64_t below = 0;
    for (std::size_t i = 0; i < kLatencyBuckets; ++i) {
        const std::uint64_t n = s.latency[i];
        if (n > 0 && static_cast<double>(below + n) >= rank) {
            const double lower = i == 0 ? 0 : static_cast<double>(kLatencyBoundsUs[i - 1]);
            if (i == kLatencyBoundsUs.size()) return lower / 1e6;  // +Inf: the last bound
            const double upper = static_cast<double>(kLatencyBoundsUs[i]);
            const double within = (rank - static_cast<double>(below)) / static_cast<double>(n);
            return (lower + (upper - lower) * within) / 1e6;
        }
        below += n;
    }
    return static_cast<double>(kLatencyBoundsUs.back()) / 1e6;
}

}  // namespace cachet::admin
