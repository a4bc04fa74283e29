#pragma once
// What all workers share: the immutable config, the store, the in-flight table, and the
// way to reach another worker (post only). Created before the workers, destroyed after.
#include <sys/socket.h>

#include <memory>
#include <vector>

#include "cache/store.hpp"
#include "cachet/config.hpp"
#include "proxy/fill.hpp"
#include "proxy/inflight_table.hpp"
#include "proxy/origin_set.hpp"
#include "server/config_source.hpp"

namespace cachet::server {

class AccessLogWriter;
}  // namespace cachet::server
namespace cachet::tls {
class ServerCertificate;
}  // namespace cachet::tls
namespace cachet::replay {
class Recorder;
class ReplayTable;
}  // namespace cachet::replay
namespace cachet::server {
class Worker;

class Runtime final : public proxy::Notifier {
public:
    Runtime(const Config& config, std::unique_ptr<proxy::OriginSet> origin_servers,
            AccessLogWriter* access_log = nullptr);
    ~Runtime();

    // Routes a fill's progress to the worker that has subscribers for it.
    void notify(unsigned worker, proxy::FillRef fill) override;

    // The configuration the process started with: what only a restart changes (listen,
    // workers, cache_size, origins, coalesce_max_waiters) is read here.
    const Config& config;
    // What SIGHUP replaces; workers read their own snapshot of it (Worker::config()).
    ConfigSource configs;
    // Every origin server, resolved, with its health: shared by the workers' pools.
    const std::unique_ptr<proxy::OriginSet> origin_servers;
    cache::Store store;
    proxy::InflightTable inflight;
    // Where the workers hand their access log lines (server/access_log_writer.hpp); null
    // when --access-log is off. Outlives the workers.
    AccessLogWriter* const access_log;
    // --mode replay: the snapshot's answers (replay/replay_table.hpp), loaded before the
    // workers start; null otherwise.
    const replay::ReplayTable* replay = nullptr;
    // --mode record, or a replay forwarding its misses: where exchanges are written
    // (replay/recorder.hpp); null otherwise. Both outlive the workers.
    replay::Recorder* recorder = nullptr;
    // The TLS listener's certificate (tls/server_certificate.hpp), reloaded on SIGHUP; null
    // without one. Outlives the workers.
    tls::ServerCertificate* tls_certificate = nullptr;
    std::vector<std::unique_ptr<Worker>> workers;  // filled once before any worker runs
};

}  // namespace cachet::server
