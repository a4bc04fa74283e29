#include "admin/drill_endpoints.hpp"

#include <charconv>
#include <optional>
#include <span>
#include <vector>

#include "admin/drill_body.hpp"
#include "admin/routes.hpp"
#include "proxy/origin_set.hpp"
#include "server/runtime.hpp"
#include "util/log.hpp"

namespace cachet::admin {
namespace {

proxy::DrillBoard& board(AdminContext& context) { return context.runtime.origin_servers->drills(); }

// Origins change only on restart: the configuration the process started with names them.
std::span<const Origin> origins(AdminContext& context) { return context.runtime.config.origins; }

// The admin loop's clock, brought up to date: the workers compare a drill's deadline with
// theirs (uv_now on the same monotonic clock).
Millis loop_now(AdminContext& context) {
    uv_update_time(context.loop);
    return uv_now(context.loop);
}

auto as_int(std::uint64_t n) { return static_cast<std::int64_t>(n); }

void log_started(const proxy::Drill& drill, const Origin& origin, Millis duration) {
    log::write(log::Level::warn, "drill started",
               {{"id", as_int(drill.id)},
                {"origin", origin.name},
                {"kind", proxy::name(drill.kind)},
                {"duration_ms", as_int(duration)},
                {"rate_ppm", as_int(drill.rate_ppm)},
                {"latency_ms", as_int(drill.latency)},
                {"status", as_int(drill.status)},
                {"cut_after", as_int(drill.cut_after)}});
}

// `why`: "deadline", "replaced", "ended by request".
void log_ended(const proxy::Drill& drill, const Origin& origin, std::string_view why) {
    log::write(log::Level::warn, "drill ended",
               {{"id", as_int(drill.id)},
                {"origin", origin.name},
                {"kind", proxy::name(drill.kind)},
                {"why", why}});
}

AdminResponse json_response(std::string body) {
    AdminResponse response;
    response.content_type = "application/json";
    response.body = std::move(body) + "\n";
    return response;
}

std::string list_json(std::string_view field, std::span<const proxy::Drill> drills,
                      std::span<const Origin> names, Millis now) {
    std::string out = "{\"" + std::string(field) + "\":[";
    for (std::size_t i = 0; i < drills.size(); ++i) {
        if (i) out += ',';
        out += drill_json(drills[i], names[drills[i].origin].name, now);
    }
    return out + "]}";
}

// Which running drills a DELETE names: all, ?id=N or ?origin=NAME.
struct DrillFilter {
    std::optional<std::uint64_t> id;
    std::optional<std::string_view> origin;
    bool matches(const proxy::Drill& drill, std::span<const Origin> names) const {
        if (id && drill.id != *id) return false;
        return !origin || names[drill.origin].name == *origin;
    }
};

}  // namespace

void start_drill(AdminExchange& exchange) {
    AdminContext& context = exchange.context();
    auto order = parse_drill_body(exchange.request().body, origins(context));
    if (!order) return exchange.respond(text_response(400, order.error()));
    const Millis now = loop_now(context);
    proxy::Drill drill = order->drill;
    drill.ends_at = now + order->duration;
    const auto started = board(context).start(drill);
    const Origin& origin = origins(context)[drill.origin];
    if (const auto& earlier = started.earlier) {
        log_ended(*earlier, origin, proxy::running(*earlier, now) ? "replaced" : "deadline");
    }
    log_started(started.drill, origin, order->duration);
    exchange.respond(json_response(drill_json(started.drill, origin.name, now)));
}

void list_drills(AdminExchange& exchange) {
    AdminContext& context = exchange.context();
    const Millis now = loop_now(context);
    exchange.respond(
        json_response(list_json("drills", board(context).running(now), origins(context), now)));
}

void end_drills(AdminExchange& exchange) {
    AdminContext& context = exchange.context();
    const std::string_view query = exchange.request().query;
    DrillFilter filter;
    filter.origin = query_param(query, "origin");
    if (auto id_text = query_param(query, "id")) {
        std::uint64_t id = 0;
        auto [end, error] = std::from_chars(id_text->data(), id_text->data() + id_text->size(), id);
        if (error != std::errc{} || end != id_text->data() + id_text->size()) {
            return exchange.respond(text_response(400, "id: expected a drill's number"));
        }
        filter.id = id;
    }
    const Millis now = loop_now(context);
    std::vector<proxy::Drill> ended;
    for (const proxy::Drill& drill : board(context).running(now)) {
        if (!filter.matches(drill, origins(context))) continue;
        board(context).end(drill.origin);
        log_ended(drill, origins(context)[drill.origin], "ended by request");
        ended.push_back(drill);
    }
    if (ended.empty() && (filter.id || filter.origin)) {
        return exchange.respond(text_response(404, "no running drill with that id or origin"));
    }
    exchange.respond(json_response(list_json("ended", ended, origins(context), now)));
}

void end_expired_drills(AdminContext& context) {
    const Millis now = loop_now(context);
    for (const proxy::Drill& drill : board(context).end_expired(now)) {
        log_ended(drill, origins(context)[drill.origin], "deadline");
    }
}

}  // namespace cachet::admin
