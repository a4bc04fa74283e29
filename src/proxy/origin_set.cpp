#include "proxy/origin_set.hpp"

#include <netdb.h>

#include <cstring>

#include "util/log.hpp"

namespace cachet::proxy {
namespace {

tl::expected<sockaddr_storage, std::string> resolve_server(const OriginAddress& server) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    const std::string port = std::to_string(server.port);
    const int rc = ::getaddrinfo(server.host.c_str(), port.c_str(), &hints, &result);
    if (rc != 0 || !result) {
        return tl::unexpected("cannot resolve \"" + server.host + "\": " + gai_strerror(rc));
    }
    sockaddr_storage address{};
    std::memcpy(&address, result->ai_addr, result->ai_addrlen);
    ::freeaddrinfo(result);
    return address;
}

// The client context of an origin with https:// servers (null: it has none).
tl::expected<tls::ContextPtr, std::string> origin_context(const Origin& origin) {
    bool any_tls = false;
    for (const OriginAddress& server : origin.servers) any_tls = any_tls || server.tls;
    if (!any_tls) return tls::ContextPtr();
    if (origin.insecure) {
        log::write(log::Level::warn, "origin certificates are not verified (insecure: true)",
                   {{"origin", origin.name}});
    }
    auto context = tls::make_client_context({origin.ca_file, origin.insecure});
    if (!context) return tl::unexpected("origin " + origin.name + ": " + context.error());
    return context;
}

}  // namespace

tl::expected<std::unique_ptr<OriginSet>, std::string> OriginSet::resolve(
    const std::vector<Origin>& origins) {
    std::unique_ptr<OriginSet> set(new OriginSet);
    for (unsigned o = 0; o < origins.size(); ++o) {
        set->first_.push_back(set->servers_.size());
        set->count_.push_back(origins[o].servers.size());
        auto context = origin_context(origins[o]);
        if (!context) return tl::unexpected(context.error());
        for (const OriginAddress& address : origins[o].servers) {
            auto resolved = resolve_server(address);
            if (!resolved) {
                return tl::unexpected("origin " + origins[o].name + ", server " +
                                      (address.tls ? "https://" : "http://") + address.authority +
                                      ": " + resolved.error());
            }
            auto server = std::make_unique<OriginServer>();
            server->index = set->servers_.size();
            server->origin = o;
            server->address = *resolved;
            server->authority = address.authority;
            if (address.tls) {
                server->tls = context->get();
                server->tls_name = origins[o].sni.empty() ? address.host : origins[o].sni;
                server->verify = !origins[o].insecure;
            }
            set->servers_.push_back(std::move(server));
        }
        if (*context) set->tls_contexts_.push_back(std::move(*context));
    }
    set->drills_ = std::make_unique<DrillBoard>(origins.size());
    return set;
}

std::size_t OriginSet::choose(unsigned origin, std::size_t turn, Millis now,
                              unsigned max_fails) const noexcept {
    const std::size_t first = first_[origin];
    const std::size_t count = count_[origin];
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = first + (turn + k) % count;
        if (servers_[i]->health.in_rotation(now, max_fails)) return i;
    }
    return first + turn % count;
}

}  // namespace cachet::proxy
