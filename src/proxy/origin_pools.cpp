#include "proxy/origin_pools.hpp"

#include "proxy/origin_connection.hpp"

namespace cachet::proxy {

OriginPools::OriginPools(FetchContext context, OriginSet& servers, unsigned worker_index)
    : context_(std::move(context)), servers_(servers) {
    for (std::size_t i = 0; i < servers.server_count(); ++i) {
        pools_.push_back(
            std::make_unique<OriginPool>(*this, context_, read_buffer_.get(), servers.server(i)));
    }
    // Worker w starts at server w: with as many workers as servers, their first requests
    // spread over all of them.
    for (std::size_t o = 0; o < servers.origin_count(); ++o) {
        turns_.push_back(worker_index % servers.servers_of(static_cast<unsigned>(o)));
    }
}

OriginPools::~OriginPools() = default;

OriginPool& OriginPools::pool_from(unsigned origin, std::size_t turn) {
    const std::size_t count = servers_.servers_of(origin);
    if (count == 1) return *pools_[servers_.first_server(origin)];  // no rotation to keep
    const Origin& settings = context_.config->origins[origin];
    const std::size_t chosen =
        servers_.choose(origin, turn, context_.clock.monotonic_ms(), settings.max_fails);
    // The next request starts after the chosen server: round robin over those in rotation.
    const std::size_t next = chosen - servers_.first_server(origin) + 1;
    turns_[origin] = next == count ? 0 : next;
    return *pools_[chosen];
}

OriginConnection* OriginPools::start(OriginRequest&& request, LeaderPermit&& permit) {
    request.servers_tried = 1;
    const unsigned origin = request.origin;
    if (!servers_.drills().idle(origin)) [[unlikely]]
        take_drill_action(request);
    return pool_from(origin, turns_[origin]).start(std::move(request), std::move(permit));
}

OriginConnection* OriginPools::start_elsewhere(OriginRequest& request, LeaderPermit& permit,
                                               const OriginServer& failed) {
    const unsigned origin = request.origin;
    const std::size_t count = servers_.servers_of(origin);
    // A body may be partly taken from the client's stream already: it is not sent twice.
    if (request.has_body || request.servers_tried >= count) return nullptr;
    ++request.servers_tried;
    const std::size_t after_failed = (failed.index - servers_.first_server(origin) + 1) % count;
    return pool_from(origin, after_failed).start(std::move(request), std::move(permit));
}

void OriginPools::take_drill_action(OriginRequest& request) noexcept {
    const unsigned origin = request.origin;
    request.drill = servers_.drills().next_action(origin, context_.clock.monotonic_ms());
    if (request.drill.kind == DrillActionKind::none) return;  // past its deadline, or the rate
    const std::size_t slot = slot_of(kind_of(request.drill.kind));
    admin::bump(context_.counters.origins[origin].drill_requests[slot]);
}

void OriginPools::close_all() {
    for (auto& pool : pools_) pool->close_all();
}

std::size_t OriginPools::idle_count() const noexcept {
    std::size_t n = 0;
    for (const auto& pool : pools_) n += pool->idle_count();
    return n;
}

}  // namespace cachet::proxy
