#pragma once
// A worker's way to its origins: one connection pool per origin server, and the choice of
// server for each request, round robin over the servers its origin has in rotation
// (proxy/origin_set.hpp) from this worker's own place, so workers do not move in step and
// nothing is written across threads to choose. Only its worker's thread uses it.
#include <memory>
#include <vector>

#include "proxy/origin_pool.hpp"

namespace cachet::proxy {

class OriginPools {
public:
    OriginPools(FetchContext context, OriginSet& servers, unsigned worker_index);
    ~OriginPools();
    OriginPools(const OriginPools&) = delete;
    OriginPools& operator=(const OriginPools&) = delete;

    // Sends the request to a server of its origin (request.origin), chosen round robin.
    // The request is moved on once, into the connection that sends it. A drill running on
    // the origin decides here what it does to the request (request.drill).
    OriginConnection* start(OriginRequest&& request, LeaderPermit&& permit);
    // A connect to server `failed` of the request's origin failed before anything was sent:
    // the next server in rotation after it gets the request, while the origin has servers
    // not yet tried. Null when none is left (the caller fails the exchange), else the
    // connection that took the request and the permit.
    OriginConnection* start_elsewhere(OriginRequest& request, LeaderPermit& permit,
                                      const OriginServer& failed);

    void close_all();
    FetchContext& context() noexcept { return context_; }
    OriginSet& servers() noexcept { return servers_; }
    // A reloaded configuration: fetches started from now on use it (server/config_source.hpp).
    void adopt(const Config& config, const cache::PolicyOptions& policy) noexcept {
        context_.config = &config;
        context_.policy = policy;
    }
    std::size_t idle_count() const noexcept;

private:
    OriginPool& pool_from(unsigned origin, std::size_t turn);
    // The drill on the request's origin decides request.drill, and it is counted.
    void take_drill_action(OriginRequest& request) noexcept;

    FetchContext context_;
    OriginSet& servers_;
    std::unique_ptr<char[]> read_buffer_ = std::make_unique<char[]>(OriginPool::kReadBufferSize);
    std::vector<std::unique_ptr<OriginPool>> pools_;  // by server index
    std::vector<std::size_t> turns_;                  // by origin: this worker's place
};

}  // namespace cachet::proxy
