#include "admin/stats_json.hpp"

#include <cstdio>

#include "admin/drill_body.hpp"

namespace cachet::admin {
namespace {

void put_string(std::string& out, std::string_view text) {
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
        } else {
            out += c;
        }
    }
    out += '"';
}

void put_key(std::string& out, std::string_view key) {
    if (out.back() != '{') out += ',';
    put_string(out, key);
    out += ':';
}

void put(std::string& out, std::string_view key, std::uint64_t value) {
    put_key(out, key);
    out += std::to_string(value);
}

void put_signed(std::string& out, std::string_view key, std::int64_t value) {
    put_key(out, key);
    out += std::to_string(value);
}

void put_double(std::string& out, std::string_view key, double value) {
    put_key(out, key);
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", value);
    out += text;
}

// {"name", "requests", "errors": {reason: n}, "responses", latency figures, "servers"}.
void put_origin(std::string& out, const OriginFigures& o) {
    out += '{';
    put_key(out, "name");
    put_string(out, o.name);
    put(out, "requests", o.requests);
    put_key(out, "errors");
    out += '{';
    for (std::size_t i = 0; i < kErrcCount; ++i) {
        auto e = static_cast<Errc>(i);
        if (e == Errc::bad_request || e == Errc::header_too_large || e == Errc::key_too_long)
            continue;
        put(out, name(e), o.errors[i]);
    }
    out += '}';
    std::uint64_t count = 0;
    for (auto n : o.latency) count += n;
    put_key(out, "drill_requests");
    out += '{';
    for (std::size_t k = 0; k < proxy::kDrillKindCount; ++k)
        put(out, proxy::name(proxy::kind_at(k)), o.drill_requests[k]);
    out += '}';
    put(out, "tls_handshakes", o.tls_handshakes);
    put(out, "tls_resumed", o.tls_resumed);
    put(out, "responses", count);
    put_double(out, "response_seconds_sum", static_cast<double>(o.latency_sum_us) / 1e6);
    put_double(out, "response_seconds_p50", latency_quantile(o, 0.5));
    put_double(out, "response_seconds_p99", latency_quantile(o, 0.99));
    put_key(out, "servers");
    out += '[';
    for (std::size_t i = 0; i < o.servers.size(); ++i) {
        out += i ? ",{" : "{";
        put_key(out, "server");
        put_string(out, o.servers[i].authority);
        put_key(out, "up");
        out += o.servers[i].up ? "true" : "false";
        out += '}';
    }
    out += "]}";
}

}  // namespace

std::string format_stats_json(const Snapshot& s) {
    std::string out = "{";
    out.reserve(1024);
    put_key(out, "ready");
    out += s.ready ? "true" : "false";
    put(out, "workers", s.workers);
    put_key(out, "requests");
    out += '{';
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kCacheStatusCount; ++i) {
        put(out, name(static_cast<CacheStatus>(i)), s.requests[i]);
        total += s.requests[i];
    }
    out += '}';
    put(out, "requests_total", total);
    put_key(out, "routes");
    out += '[';
    for (std::size_t slot = 0; slot < s.route_labels.size() && slot < kRouteSlots; ++slot) {
        out += slot ? ",{" : "{";
        put_key(out, "name");
        put_string(out, s.route_labels[slot]);
        put_key(out, "requests");
        out += '{';
        for (std::size_t i = 0; i < kCacheStatusCount; ++i)
            put(out, name(static_cast<CacheStatus>(i)), s.route_requests[slot][i]);
        out += "}}";
    }
    out += ']';
    put(out, "client_received_bytes", s.client_received_bytes);
    put(out, "client_sent_bytes", s.client_sent_bytes);
    put(out, "coalesced_waiters", s.coalesced_waiters);
    put(out, "replay_answered", s.replay_answered);
    put(out, "replay_unmatched", s.replay_unmatched);
    put(out, "replay_forwarded", s.replay_forwarded);
    put(out, "recorded", s.recorded);
    put(out, "record_skipped", s.record_skipped);
    put(out, "body_key_fallbacks", s.body_key_fallbacks);
    put_key(out, "tls");
    out += '{';
    put(out, "handshakes", s.tls_handshakes);
    put(out, "resumed", s.tls_resumed);
    put(out, "failures", s.tls_failures);
    out += '}';
    put_key(out, "open_connections");
    out += '{';
    put_signed(out, "client", s.client_connections);
    put_signed(out, "origin", s.origin_connections);
    out += '}';
    put_key(out, "origins");
    out += '[';
    for (std::size_t i = 0; i < s.origins.size(); ++i) {
        if (i) out += ',';
        put_origin(out, s.origins[i]);
    }
    out += ']';
    put_key(out, "drills");
    out += '[';
    for (std::size_t i = 0; i < s.drills.size(); ++i) {
        if (i) out += ',';
        const proxy::Drill& drill = s.drills[i];
        const std::string_view origin =
            drill.origin < s.origins.size() ? std::string_view(s.origins[drill.origin].name) : "";
        out += drill_json(drill, origin, s.drills_now);
    }
    out += ']';
    put_key(out, "store");
    out += '{';
    put(out, "entries", s.store_entries);
    put(out, "bytes", s.store_bytes);
    put(out, "budget_bytes", s.store_budget_bytes);
    put(out, "evictions", s.store_evictions);
    put(out, "index_bytes", s.store_index_bytes);
    out += '}';
    put_key(out, "top_keys");
    out += '[';
    for (std::size_t i = 0; i < s.top_keys.size(); ++i) {
        out += i ? ",{" : "{";
        put_key(out, "key");
        put_string(out, s.top_keys[i].key);
        put(out, "hits", s.top_keys[i].hits);
        out += '}';
    }
    out += ']';
    put(out, "purges", s.purges);
    put(out, "resident_memory_bytes", s.resident_memory_bytes);
    out += "}\n";
    return out;
}

}  // namespace cachet::admin
