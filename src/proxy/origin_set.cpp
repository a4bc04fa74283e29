#include "proxy/origin_set.hpp"

#include <netdb.h>

#include <cstring>

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

}  // namespace

tl::expected<std::unique_ptr<OriginSet>, std::string> OriginSet::resolve(
    const std::vector<Origin>& origins) {
    std::unique_ptr<OriginSet> set(new OriginSet);
    for (unsigned o = 0; o < origins.size(); ++o) {
        set->first_.push_back(set->servers_.size());
        set->count_.push_back(origins[o].servers.size());
        for (const OriginAddress& address : origins[o].servers) {
            auto resolved = resolve_server(address);
            if (!resolved) {
                return tl::unexpected("origin " + origins[o].name + ", server http://" +
                                      address.authority + ": " + resolved.error());
            }
            auto server = std::make_unique<OriginServer>();
            server->index = set->servers_.size();
            server->origin = o;
            server->address = *resolved;
            server->authority = address.authority;
            set->servers_.push_back(std::move(server));
        }
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
