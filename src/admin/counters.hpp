#pragma once
// What one worker counts, for /metrics and /stats. Each worker owns one block, written only
// by its own thread with a relaxed load and store (never a read-modify-write: no bus lock
// on the hit path), and read relaxed by the admin thread, which sums the blocks when asked.
// A block is cache-line aligned so two workers' counters never share a line.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "admin/route_labels.hpp"
#include "proxy/drill.hpp"
#include "util/errc.hpp"

namespace cachet::admin {

// How a response came about: the label of cachet_requests_total{cache_status=...,route=...}.
enum class CacheStatus : std::uint8_t {
    hit,          // a fresh stored response, or a 304/206/416 derived from one
    stale,        // a stored response served stale (max-stale, stale-while-revalidate)
    miss,         // forwarded: nothing usable stored (a coalesced waiter counts too)
    revalidated,  // forwarded: a stored response was stale and went to the origin
    pass,         // forwarded without a key: a method the cache does not answer
    error,        // cachet's own 502/504 (origin failures, only-if-cached)
    refused,      // a request cachet could not read (400, 431, 501, 505)
};
inline constexpr std::size_t kCacheStatusCount = 7;
constexpr std::string_view name(CacheStatus status) noexcept {
    switch (status) {
    case CacheStatus::hit: return "hit";
    case CacheStatus::stale: return "stale";
    case CacheStatus::miss: return "miss";
    case CacheStatus::revalidated: return "revalidated";
    case CacheStatus::pass: return "pass";
    case CacheStatus::error: return "error";
    case CacheStatus::refused: return "refused";
    }
    return "unknown";
}

// Origin failures, labelled by Errc (util/errc.hpp); fetch_abandoned is the last value.
inline constexpr std::size_t kErrcCount = static_cast<std::size_t>(Errc::fetch_abandoned) + 1;
constexpr std::string_view name(Errc e) noexcept {
    switch (e) {
    case Errc::bad_request: return "bad_request";
    case Errc::header_too_large: return "header_too_large";
    case Errc::key_too_long: return "key_too_long";
    case Errc::origin_connect_failed: return "connect_failed";
    case Errc::origin_connect_timeout: return "connect_timeout";
    case Errc::origin_reset: return "reset";
    case Errc::origin_first_byte_timeout: return "first_byte_timeout";
    case Errc::origin_idle_timeout: return "idle_timeout";
    case Errc::origin_bad_response: return "bad_response";
    case Errc::origin_truncated: return "truncated";
    case Errc::origin_tls_hostname_mismatch: return "tls_hostname_mismatch";
    case Errc::origin_tls_expired: return "tls_expired";
    case Errc::origin_tls_untrusted: return "tls_untrusted";
    case Errc::origin_tls_rejected: return "tls_rejected";
    case Errc::origin_tls_handshake: return "tls_handshake";
    case Errc::fetch_abandoned: return "abandoned";
    }
    return "unknown";
}

// Upper bounds of cachet_origin_response_seconds, in microseconds (1 ms .. 10 s); one more
// bucket counts what is above the last (+Inf).
inline constexpr std::array<std::uint64_t, 14> kLatencyBoundsUs = {
    1'000,   2'500,   5'000,     10'000,    25'000,    50'000,    100'000,
    250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 7'500'000, 10'000'000};
inline constexpr std::size_t kLatencyBuckets = kLatencyBoundsUs.size() + 1;

using Counter = std::atomic<std::uint64_t>;
using Gauge = std::atomic<std::int64_t>;

// The owner's update: a relaxed load and store, which compile to a plain add on x86.
inline void bump(Counter& counter, std::uint64_t n = 1) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}
inline void bump(Gauge& gauge, std::int64_t n) noexcept {
    gauge.store(gauge.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// What one worker counts of one origin (cachet_origin_*{origin=...}).
struct alignas(64) OriginCounters {
    Counter requests{0};
    std::array<Counter, kErrcCount> errors{};
    std::array<Counter, kLatencyBuckets> latency{};  // not cumulative: one per bucket
    Counter latency_sum_us{0};
    // Requests a drill acted on (proxy/drill.hpp), by kind slot: cachet_drill_requests_total.
    std::array<Counter, proxy::kDrillKindCount> drill_requests{};
    // Handshakes with its https:// servers: full ones, and those that resumed a session.
    Counter tls_handshakes{0};
    Counter tls_resumed{0};

    void count_error(Errc error) noexcept { bump(errors[static_cast<std::size_t>(error)]); }
    void observe_response(std::uint64_t micros) noexcept {
        std::size_t i = 0;
        while (i < kLatencyBoundsUs.size() && micros > kLatencyBoundsUs[i]) ++i;
        bump(latency[i]);
        bump(latency_sum_us, micros);
    }
};

struct alignas(64) WorkerCounters {
    // One block of origin counters per origin, by its index in Config::origins (fixed at
    // start: origins change only on restart).
    explicit WorkerCounters(std::size_t origin_count = 0) : origins(origin_count) {}

    // By route slot (admin/route_labels.hpp: kNoRouteSlot for no route), then cache status.
    std::array<std::array<Counter, kCacheStatusCount>, kRouteSlots> requests{};
    Counter client_received_bytes{0};
    Counter client_sent_bytes{0};
    Counter coalesced_waiters{0};
    Counter purges{0};
    // --mode replay: requests answered from the snapshot, without an answer, and forwarded
    // (--replay-miss forward); --mode record: exchanges handed to the recorder, and those
    // left out (a truncated or failed response, a body over --max-object-size, a HEAD).
    Counter replay_answered{0};
    Counter replay_unmatched{0};
    Counter replay_forwarded{0};
    Counter recorded{0};
    Counter record_skipped{0};
    // A body its route keys as JSON or JSON-RPC that was not (keyed on its bytes instead).
    Counter body_key_fallbacks{0};
    // Client handshakes on TLS listeners: full, resumed, and failed (plain HTTP on the TLS
    // port, garbage, no common protocol): cachet_tls_handshakes_total.
    Counter tls_handshakes{0};
    Counter tls_resumed{0};
    Counter tls_failures{0};
    Gauge client_connections{0};
    Gauge origin_connections{0};
    std::vector<OriginCounters> origins;

    void count(CacheStatus status, std::uint8_t route_slot = kNoRouteSlot) noexcept {
        bump(requests[route_slot][static_cast<std::size_t>(status)]);
    }
    // For the purge endpoint: called on the thread that owns this block.
    void count_purge(std::uint64_t n = 1) noexcept { bump(purges, n); }
};

}  // namespace cachet::admin
