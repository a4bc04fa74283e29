#include "server/runtime.hpp"

#include <bit>

#include "server/worker.hpp"

namespace cachet::server {
namespace {

cache::Store::Options store_options(const Config& config) {
    // Several shards per worker keep lock contention between workers rare.
    std::size_t shards = std::bit_ceil(std::max<std::size_t>(16, std::size_t{config.workers} * 8));
    return cache::Store::Options{config.cache_size, shards, config.purge_tag_headers};
}

}  // namespace

Runtime::Runtime(const Config& config_, std::unique_ptr<proxy::OriginSet> origin_servers_,
                 AccessLogWriter* access_log_)
    : config(config_),
      configs(config_),
      origin_servers(std::move(origin_servers_)),
      store(store_options(config_)),
      inflight(config_.workers, config_.coalesce_max_waiters, *this),
      access_log(access_log_) {}

Runtime::~Runtime() = default;

void Runtime::notify(unsigned worker, proxy::FillRef fill) {
    // A fill notifies only from its origin side, on its origin worker's thread.
    if (worker == fill->origin_worker())
        workers[worker]->post_fill_local(std::move(fill));
    else
        workers[worker]->post_fill(std::move(fill));
}

}  // namespace cachet::server
