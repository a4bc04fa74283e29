// The admin API's endpoints: the route table and its handlers. Handlers run on the admin
// thread; they read the workers' counter blocks and the store, never a worker's loop.
#include <array>
#include <ctime>

#include "admin/dashboard.hpp"
#include "admin/drill_endpoints.hpp"
#include "admin/exchange.hpp"
#include "admin/origins_check.hpp"
#include "admin/prometheus.hpp"
#include "admin/purge_body.hpp"
#include "admin/routes.hpp"
#include "admin/stats_json.hpp"
#include "server/runtime.hpp"
#include "server/worker.hpp"

namespace cachet::admin {
namespace {

bool all_workers_accepting(const server::Runtime& runtime) {
    for (const auto& worker : runtime.workers) {
        if (!worker->accepting()) return false;
    }
    return !runtime.workers.empty();
}

// Every worker's last published table, summed by key (admin/top_keys.hpp).
std::vector<TopKey> top_keys(const server::Runtime& runtime) {
    std::vector<TopKeyTable> tables;
    tables.reserve(runtime.workers.size());
    for (const auto& worker : runtime.workers)
        tables.push_back(worker->published_top_keys().read());
    return merge_top_keys(tables, kTopKeysShown);
}

Snapshot collect(AdminContext& context) {
    server::Runtime& runtime = context.runtime;
    Snapshot s;
    uv_update_time(context.loop);  // the drills' deadlines are compared with it
    const Millis now = uv_now(context.loop);
    for (const Origin& origin : runtime.config.origins) {
        OriginFigures figures;
        figures.name = origin.name;
        s.origins.push_back(std::move(figures));
    }
    const proxy::OriginSet& servers = *runtime.origin_servers;
    for (std::size_t i = 0; i < servers.server_count(); ++i) {
        const proxy::OriginServer& server = servers.server(i);
        const unsigned max_fails = runtime.config.origins[server.origin].max_fails;
        s.origins[server.origin].servers.push_back(
            {server.authority, server.health.in_rotation(now, max_fails)});
    }
    s.drills = runtime.origin_servers->drills().running(now);
    s.drills_now = now;
    s.route_labels = runtime.configs.route_labels().labels();
    for (const auto& worker : runtime.workers) add_counters(s, worker->counters());
    add_counters(s, context.counters);
    const cache::StoreStats store = runtime.store.stats();
    s.store_entries = store.entries;
    s.store_bytes = store.bytes + store.shared_head_bytes;
    s.store_budget_bytes = runtime.config.cache_size;
    s.store_evictions = store.evictions;
    s.store_index_bytes = store.index_bytes;
    s.resident_memory_bytes = resident_memory_bytes();
    s.workers = static_cast<unsigned>(runtime.workers.size());
    s.ready = all_workers_accepting(runtime);
    return s;
}

void healthz(AdminExchange& exchange) { exchange.respond(text_response(200, "ok")); }

void readyz(AdminExchange& exchange) {
    AdminContext& context = exchange.context();
    if (!all_workers_accepting(context.runtime)) {
        return exchange.respond(text_response(503, "not ready: workers are not accepting"));
    }
    if (!has_query_param(exchange.request().query, "origins", "1")) {
        return exchange.respond(text_response(200, "ready"));
    }
    check_origins(exchange);
}

void metrics(AdminExchange& exchange) {
    AdminResponse response;
    response.content_type = kPrometheusContentType;
    response.body = format_prometheus(collect(exchange.context()));
    exchange.respond(std::move(response));
}

void stats(AdminExchange& exchange) {
    AdminResponse response;
    response.content_type = "application/json";
    Snapshot s = collect(exchange.context());
    s.top_keys = top_keys(exchange.context().runtime);
    response.body = format_stats_json(s);
    exchange.respond(std::move(response));
}

void dashboard(AdminExchange& exchange) {
    AdminResponse response;
    response.content_type = "text/html; charset=utf-8";
    response.body = std::string(dashboard_html());
    exchange.respond(std::move(response));
}

// POST /purge (admin/purge_body.hpp): drops the entries the body names, or with "soft" ends
// their freshness now; answers {"purged":N} and counts N in cachet_purges_total. The store
// is thread-safe and the purge takes one shard lock at a time, so the workers' hits wait
// at most for one shard's matches.
void purge(AdminExchange& exchange) {
    auto match = parse_purge_body(exchange.request().body);
    if (!match) return exchange.respond(text_response(400, match.error()));
    // The workers' clock (util/loop_clock.hpp): a soft purge's "now" is their now.
    timespec ts{};
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    AdminContext& context = exchange.context();
    const std::size_t purged = context.runtime.store.purge(*match, ts.tv_sec);
    context.counters.count_purge(purged);
    AdminResponse response;
    response.content_type = "application/json";
    response.body = purge_response_json(purged);
    exchange.respond(std::move(response));
}

// The endpoints. A GET row answers HEAD too; a path in the table with another method gets
// a 405 with Allow; any other path a 404.
//
// To add a mutating endpoint (POST /purge, POST and DELETE /drills, ...): write `void handler(AdminExchange&)` here
// and add one row with `mutating = true`. The connection checks the bearer token before it
// calls the handler (401 without or with a wrong token, 403 with none configured), so the
// handler never sees a refused request. It runs on the admin thread: it may use the store
// (thread-safe) and count into exchange.context().counters (e.g. count_purge()), the admin
// thread's own block, but must not touch a worker's loop.
constexpr std::array kRoutes = {
    Route{http::Method::get, "/", false, dashboard},
    Route{http::Method::get, "/healthz", false, healthz},
    Route{http::Method::get, "/readyz", false, readyz},
    Route{http::Method::get, "/metrics", false, metrics},
    Route{http::Method::get, "/stats", false, stats},
    Route{http::Method::post, "/purge", true, purge},
    Route{http::Method::get, "/drills", false, list_drills},
    Route{http::Method::post, "/drills", true, start_drill},
    Route{http::Method::delete_, "/drills", true, end_drills},
};

}  // namespace

std::span<const Route> admin_routes() noexcept { return kRoutes; }

}  // namespace cachet::admin
