#pragma once
// Every origin server of the process, resolved once at start, with its shared health; each
// origin's drill slot (proxy/drill_board.hpp); and the choice of the server a request goes to. Built before the workers, immutable but for
// the health, and shared by all of them (server/runtime.hpp). Origins and their servers
// change only on restart (server/reload.cpp), so a server's index stays valid for the
// process's life.
#include <sys/socket.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cachet/config.hpp"
#include "proxy/drill_board.hpp"
#include "proxy/server_health.hpp"
#include "tls/context.hpp"
#include "util/result.hpp"

namespace cachet::proxy {

struct OriginServer {
    std::size_t index = 0;  // in the OriginSet
    unsigned origin = 0;    // index in Config::origins
    sockaddr_storage address{};
    std::string authority;  // as configured, for logs and metrics
    ServerHealth health;
    // https:// servers: their origin's client context (owned by the OriginSet), the name sent
    // as SNI and checked in the certificate, and whether it is checked. Null: plain HTTP.
    SSL_CTX* tls = nullptr;
    std::string tls_name;
    bool verify = true;
};

class OriginSet {
public:
    // Resolves every server's host name (getaddrinfo, at start only); the error names the
    // origin and the server.
    static tl::expected<std::unique_ptr<OriginSet>, std::string> resolve(
        const std::vector<Origin>& origins);

    std::size_t server_count() const noexcept { return servers_.size(); }
    std::size_t origin_count() const noexcept { return first_.size(); }
    OriginServer& server(std::size_t i) noexcept { return *servers_[i]; }
    const OriginServer& server(std::size_t i) const noexcept { return *servers_[i]; }
    // The indexes of an origin's servers: first_server(o) .. + servers_of(o).
    std::size_t first_server(unsigned origin) const noexcept { return first_[origin]; }
    std::size_t servers_of(unsigned origin) const noexcept { return count_[origin]; }
    // The origins' drills: the admin thread writes them, the workers' pools read them.
    DrillBoard& drills() noexcept { return *drills_; }

    // The server for the next request of `origin`: the first in rotation from its place
    // `turn` (0 .. servers_of - 1) on; when every one is left out, the one at `turn` all the
    // same (a request may still succeed, and an origin that recovers is noticed).
    std::size_t choose(unsigned origin, std::size_t turn, Millis now,
                       unsigned max_fails) const noexcept;

private:
    OriginSet() = default;
    std::vector<std::unique_ptr<OriginServer>> servers_;  // atomics: never moved
    std::vector<std::size_t> first_;
    std::vector<std::size_t> count_;
    std::unique_ptr<DrillBoard> drills_;
    std::vector<tls::ContextPtr> tls_contexts_;  // one per origin with https:// servers
};

}  // namespace cachet::proxy
