#include "admin/origins_check.hpp"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "admin/origin_probe.hpp"
#include "server/runtime.hpp"

namespace cachet::admin {
namespace {

class OriginsCheck {
public:
    static void start(AdminExchange& exchange) {
        auto check = std::shared_ptr<OriginsCheck>(new OriginsCheck(exchange));
        const server::Runtime& runtime = exchange.context().runtime;
        const proxy::OriginSet& servers = *runtime.origin_servers;
        check->errors_.assign(servers.server_count(), {});
        check->pending_ = servers.server_count();
        exchange.on_abandon([check] { check->abandon(); });
        for (std::size_t i = 0; i < servers.server_count(); ++i) {
            const Origin& origin = runtime.config.origins[servers.server(i).origin];
            check->probes_.push_back(OriginProbe::start(
                exchange.context().loop, servers.server(i).address, origin.connect_timeout,
                [check, i](std::string error) { check->done(i, std::move(error)); }));
        }
    }

private:
    explicit OriginsCheck(AdminExchange& exchange) : exchange_(exchange) {}

    void done(std::size_t server, std::string error) {
        probes_done_.push_back(server);
        if (error.empty())
            reached_.insert(server);
        else
            errors_[server] = std::move(error);
        if (--pending_ == 0) answer();
    }
    void abandon() {
        answered_ = true;
        for (std::size_t i = 0; i < probes_.size(); ++i) {
            if (std::find(probes_done_.begin(), probes_done_.end(), i) == probes_done_.end())
                probes_[i]->cancel();
        }
    }
    void answer() {
        if (answered_) return;
        answered_ = true;
        const server::Runtime& runtime = exchange_.context().runtime;
        const proxy::OriginSet& servers = *runtime.origin_servers;
        std::string down, up;
        for (unsigned o = 0; o < servers.origin_count(); ++o) {
            std::size_t reached = 0;
            std::string why;
            for (std::size_t k = 0; k < servers.servers_of(o); ++k) {
                const std::size_t i = servers.first_server(o) + k;
                if (reached_.count(i)) {
                    ++reached;
                } else {
                    why += (why.empty() ? "" : ", ") + servers.server(i).authority + " (" +
                           errors_[i] + ")";
                }
            }
            const std::string& name = runtime.config.origins[o].name;
            if (reached == 0) {
                down += (down.empty() ? "" : "; ") + name + " unreachable: " + why;
            } else {
                up += (up.empty() ? "" : ", ") + name + " " + std::to_string(reached) + "/" +
                      std::to_string(servers.servers_of(o));
            }
        }
        if (!down.empty())
            return exchange_.respond(text_response(503, "not ready: origin " + down));
        exchange_.respond(text_response(200, "ready; origins " + up + " servers reachable"));
    }

    AdminExchange& exchange_;
    std::vector<OriginProbe*> probes_;
    std::vector<std::size_t> probes_done_;
    std::vector<std::string> errors_;
    std::set<std::size_t> reached_;
    std::size_t pending_ = 0;
    bool answered_ = false;
};

}  // namespace

void check_origins(AdminExchange& exchange) { OriginsCheck::start(exchange); }

}  // namespace cachet::admin
