#include "admin/prometheus.hpp"

#include <cstdio>

namespace cachet::admin {
namespace {

class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}

    void family(std::string_view name, std::string_view type, std::string_view help) {
        out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
        out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    }
    void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
        line(name, labels);
        out_.append(std::to_string(value)).append("\n");
    }
    void sample_signed(std::string_view name, std::string_view labels, std::int64_t value) {
        line(name, labels);
        out_.append(std::to_string(value)).append("\n");
    }
    void sample_double(std::string_view name, std::string_view labels, double value) {
        line(name, labels);
        char text[32];
        std::snprintf(text, sizeof text, "%.6f", value);
        out_.append(text).append("\n");
    }

private:
    void line(std::string_view name, std::string_view labels) {
        out_.append(name);
        if (!labels.empty()) out_.append("{").append(labels).append("}");
        out_.append(" ");
    }
    std::string& out_;
};

std::string label(std::string_view name, std::string_view value) {
    return std::string(name) + "=\"" + escape_label_value(value) + "\"";
}

std::string seconds_text(std::uint64_t micros) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", static_cast<double>(micros) / 1e6);
    return text;
}

bool is_origin_error(Errc e) noexcept {
    return e != Errc::bad_request && e != Errc::header_too_large && e != Errc::key_too_long;
}

// The cachet_origin_* families, one series (or set of series) per origin, by its name.
void write_origins(Writer& w, const std::vector<OriginFigures>& origins) {
    w.family("cachet_origin_requests_total", "counter", "Requests sent to the origin.");
    for (const auto& o : origins)
        w.sample("cachet_origin_requests_total", label("origin", o.name), o.requests);
    w.family("cachet_origin_errors_total", "counter", "Origin exchanges that failed, by reason.");
    for (const auto& o : origins) {
        const std::string origin = label("origin", o.name);
        for (std::size_t i = 0; i < kErrcCount; ++i) {
            auto e = static_cast<Errc>(i);
            if (!is_origin_error(e)) continue;  // client-side reasons, never an origin's
            w.sample("cachet_origin_errors_total", origin + "," + label("reason", name(e)),
                     o.errors[i]);
        }
    }
    w.family("cachet_origin_tls_handshakes_total", "counter",
             "Handshakes with https:// origin servers, full or resumed (failures are "
             "cachet_origin_errors_total's tls_* reasons).");
    for (const auto& o : origins) {
        const std::string origin = label("origin", o.name);
        w.sample("cachet_origin_tls_handshakes_total", origin + "," + label("result", "full"),
                 o.tls_handshakes);
        w.sample("cachet_origin_tls_handshakes_total", origin + "," + label("result", "resumed"),
                 o.tls_resumed);
    }
    w.family("cachet_origin_response_seconds", "histogram",
             "Time from sending a request to the origin to its response head.");
    for (const auto& o : origins) {
        const std::string origin = label("origin", o.name);
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kLatencyBuckets; ++i) {
            cumulative += o.latency[i];
            const std::string le =
                i < kLatencyBoundsUs.size() ? seconds_text(kLatencyBoundsUs[i]) : "+Inf";
            w.sample("cachet_origin_response_seconds_bucket", origin + "," + label("le", le),
                     cumulative);
        }
        w.sample_double("cachet_origin_response_seconds_sum", origin,
                        static_cast<double>(o.latency_sum_us) / 1e6);
        w.sample("cachet_origin_response_seconds_count", origin, cumulative);
    }
    w.family("cachet_origin_server_up", "gauge",
             "1 while the origin server is in its origin's rotation, 0 while it is left out "
             "after failures in a row.");
    for (const auto& o : origins) {
        for (const auto& server : o.servers) {
            w.sample("cachet_origin_server_up",
                     label("origin", o.name) + "," + label("server", server.authority),
                     server.up ? 1 : 0);
        }
    }
}

// cachet_drill_active and cachet_drill_requests_total: every origin and kind, 0 included, so
// a dashboard's series exist before the first drill.
void write_drills(Writer& w, const Snapshot& s) {
    auto labels = [&](std::size_t origin, std::size_t slot) {
        return label("origin", s.origins[origin].name) + "," +
               label("kind", proxy::name(proxy::kind_at(slot)));
    };
    w.family("cachet_drill_active", "gauge",
             "1 while a drill of this kind runs on the origin (POST /drills), else 0.");
    for (std::size_t o = 0; o < s.origins.size(); ++o) {
        for (std::size_t k = 0; k < proxy::kDrillKindCount; ++k) {
            bool active = false;
            for (const proxy::Drill& d : s.drills)
                active |= d.origin == o && d.kind == proxy::kind_at(k);
            w.sample("cachet_drill_active", labels(o, k), active ? 1 : 0);
        }
    }
    w.family("cachet_drill_requests_total", "counter",
             "Origin requests a drill acted on: refused, delayed, answered or cut.");
    for (std::size_t o = 0; o < s.origins.size(); ++o) {
        for (std::size_t k = 0; k < proxy::kDrillKindCount; ++k)
            w.sample("cachet_drill_requests_total", labels(o, k), s.origins[o].drill_requests[k]);
    }
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string format_prometheus(const Snapshot& s) {
    std::string out;
    out.reserve(4096);
    Writer w(out);

    w.family("cachet_requests_total", "counter",
             "Client requests answered, by how the response came about and by route.");
    for (std::size_t slot = 0; slot < s.route_labels.size() && slot < kRouteSlots; ++slot) {
        const std::string route = "," + label("route", s.route_labels[slot]);
        for (std::size_t i = 0; i < kCacheStatusCount; ++i) {
            w.sample("cachet_requests_total",
                     label("cache_status", name(static_cast<CacheStatus>(i))) + route,
                     s.route_requests[slot][i]);
        }
    }
    write_origins(w, s.origins);
    write_drills(w, s);

    w.family("cachet_client_received_bytes_total", "counter", "Bytes read from client sockets.");
    w.sample("cachet_client_received_bytes_total", "", s.client_received_bytes);
    w.family("cachet_client_sent_bytes_total", "counter",
             "Bytes of responses handed to client sockets.");
    w.sample("cachet_client_sent_bytes_total", "", s.client_sent_bytes);
    w.family("cachet_coalesced_waiters_total", "counter",
             "Misses that waited for another request's origin fetch instead of making their own.");
    w.sample("cachet_coalesced_waiters_total", "", s.coalesced_waiters);
    w.family("cachet_replay_requests_total", "counter",
             "Requests of --mode replay: answered from the snapshot, unmatched, or forwarded.");
    w.sample("cachet_replay_requests_total", label("result", "answered"), s.replay_answered);
    w.sample("cachet_replay_requests_total", label("result", "unmatched"), s.replay_unmatched);
    w.sample("cachet_replay_requests_total", label("result", "forwarded"), s.replay_forwarded);
    w.family("cachet_recorded_exchanges_total", "counter",
             "Origin exchanges written to the snapshot (--mode record, forwarded replay misses).");
    w.sample("cachet_recorded_exchanges_total", "", s.recorded);
    w.family("cachet_record_skipped_total", "counter",
             "Origin exchanges not recorded: failed or truncated, too large, or a HEAD.");
    w.sample("cachet_record_skipped_total", "", s.record_skipped);
    w.family("cachet_body_key_fallbacks_total", "counter",
             "Bodies a route keys as JSON or JSON-RPC that were not, keyed on their bytes.");
    w.sample("cachet_body_key_fallbacks_total", "", s.body_key_fallbacks);
    w.family("cachet_tls_handshakes_total", "counter",
             "Client handshakes on TLS listeners: full, resumed (session ticket) or failed.");
    w.sample("cachet_tls_handshakes_total", label("result", "full"), s.tls_handshakes);
    w.sample("cachet_tls_handshakes_total", label("result", "resumed"), s.tls_resumed);
    w.sample("cachet_tls_handshakes_total", label("result", "failed"), s.tls_failures);
    w.family("cachet_open_connections", "gauge", "Open TCP connections, by side.");
    w.sample_signed("cachet_open_connections", label("side", "client"), s.client_connections);
    w.sample_signed("cachet_open_connections", label("side", "origin"), s.origin_connections);

    w.family("cachet_store_entries", "gauge", "Responses held in the store.");
    w.sample("cachet_store_entries", "", s.store_entries);
    w.family("cachet_store_bytes", "gauge",
             "Bytes charged to the store's budget (allocator size classes).");
    w.sample("cachet_store_bytes", "", s.store_bytes);
    w.family("cachet_store_budget_bytes", "gauge", "The store's memory budget (--cache-size).");
    w.sample("cachet_store_budget_bytes", "", s.store_budget_bytes);
    w.family("cachet_store_evictions_total", "counter",
             "Entries dropped to stay within the budget.");
    w.sample("cachet_store_evictions_total", "", s.store_evictions);
    w.family("cachet_purge_index_bytes", "gauge",
             "Memory of the purge indexes by path and tag (allocator size classes; not charged "
             "to the budget).");
    w.sample("cachet_purge_index_bytes", "", s.store_index_bytes);
    w.family("cachet_purges_total", "counter", "Entries removed by POST /purge.");
    w.sample("cachet_purges_total", "", s.purges);
    w.family("cachet_process_resident_memory_bytes", "gauge",
             "Resident memory of the process (/proc/self/statm).");
    w.sample("cachet_process_resident_memory_bytes", "", s.resident_memory_bytes);
    w.family("cachet_workers", "gauge", "Worker threads.");
    w.sample("cachet_workers", "", s.workers);
    w.family("cachet_ready", "gauge", "1 while every worker accepts connections, else 0.");
    w.sample("cachet_ready", "", s.ready ? 1 : 0);
    return out;
}

}  // namespace cachet::admin
