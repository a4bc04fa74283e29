#include "server/server.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "admin/admin_server.hpp"
#include "persist/persister.hpp"
#include "persist/store_file.hpp"
#include "server/access_log_writer.hpp"
#include "server/listener.hpp"
#include "server/modes.hpp"
#include "server/reload.hpp"
#include "server/runtime.hpp"
#include "server/worker.hpp"
#include "snapshot/leftover_temps.hpp"
#include "tls/server_certificate.hpp"
#include "util/log.hpp"

namespace cachet::server {
namespace {

// Blocks SIGTERM/SIGINT/SIGHUP in every thread (workers inherit the mask); the main thread
// waits for them.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    return set;
}

// SIGHUP: the configuration read again; if valid, every worker adopts it at the top of its
// next loop turn (connections and the store stay); if not, the running one stays.
// SIGHUP, for the TLS listener: the certificate files read again. New connections get the
// new certificate; a file that cannot be used keeps the running one.
void reload_certificate(tls::ServerCertificate& certificate, const Config& config) {
    if (std::string error = certificate.reload(); !error.empty()) {
        log::write(log::Level::error, "TLS certificate reload failed; keeping the running one",
                   {{"cert", config.tls_cert}, {"error", error}});
        return;
    }
    log::write(log::Level::info, "TLS certificate reloaded", {{"cert", config.tls_cert}});
}

void reload_config(Runtime& runtime, const Reparse& reparse) {
    auto next = reparse();
    if (!next) {
        log::write(log::Level::error, "config reload failed; keeping the running configuration",
                   {{"error", next.error()}});
        return;
    }
    const Reload applied = reload(*runtime.configs.current(), *next);
    if (!applied.refused.empty()) {
        log::write(log::Level::error, "config reload failed; keeping the running configuration",
                   {{"error", applied.refused}});
        return;
    }
    for (std::string_view field : applied.ignored) {
        log::write(log::Level::warn, "setting changes only on restart; keeping the running value",
                   {{"field", field}});
    }
    runtime.configs.replace(applied.config);
    for (auto& worker : runtime.workers) worker->config_changed();
    log::write(log::Level::info, "config reloaded",
               {{"generation", static_cast<std::int64_t>(runtime.configs.generation())}});
}

// The default origin's first server, as the readiness line has always named it, and how
// many more there are.
// --persist: the store saved by the last run, loaded before any worker starts. A damaged
// file is logged with where it went wrong (and, with --persist-partial, what came before
// it is kept); cachet starts either way: a cold cache is still a cache.
void load_persisted(cache::Store& store, const Config& config) {
    snapshot::remove_leftover_temps(config.persist);  // a killed save's, before its own saves
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    const persist::LoadResult loaded =
        persist::load_store(store, config.persist, ts.tv_sec, config.persist_partial);
    if (loaded.error) {
        log::write(log::Level::error,
                   config.persist_partial
                       ? "persisted store damaged; the entries before the damage are loaded"
                       : "persisted store damaged; nothing loaded",
                   {{"path", config.persist}, {"error", *loaded.error}});
    }
    if (loaded.missing) {
        log::write(log::Level::info, "no persisted store yet", {{"path", config.persist}});
        return;
    }
    log::write(log::Level::info, "persisted store loaded",
               {{"path", config.persist},
                {"entries", static_cast<std::int64_t>(loaded.loaded)},
                {"expired", static_cast<std::int64_t>(loaded.expired)},
                {"refused", static_cast<std::int64_t>(loaded.refused)}});
}

std::string origins_summary(const Config& config) {
    if (config.origins.empty()) return "none: replaying " + config.snapshot;
    const Origin& fallback = config.origins[config.default_origin];
    std::size_t servers = 0;
    for (const Origin& origin : config.origins) servers += origin.servers.size();
    std::string text = fallback.servers.front().authority;
    if (servers > 1) {
        text += " and " + std::to_string(servers - 1) + " more server" + (servers > 2 ? "s" : "") +
                " in " + std::to_string(config.origins.size()) + " origin" +
                (config.origins.size() > 1 ? "s" : "");
    }
    return text;
}

// At exit, the writer gets this long to write the lines the workers handed it.
constexpr std::chrono::milliseconds kAccessLogPatience{2'000};

std::string bracketed(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int run_server(const Config& config, const Reparse& reparse) {
    auto origin_servers = proxy::OriginSet::resolve(config.origins);
    if (!origin_servers) {
        std::fprintf(stderr, "cachet: %s\n", origin_servers.error().c_str());
        return 2;
    }
    // Before any thread starts (the access log's writer is the first), so that every thread
    // inherits the mask and the signals reach sigwait below.
    sigset_t stop_signals = block_stop_signals();
    // Opened before anything listens: a path that cannot be written stops the start.
    std::unique_ptr<AccessLogWriter> access_log;
    if (config.access_log != "off") {
        auto opened = AccessLogWriter::open(config.access_log, config.workers);
        if (!opened) {
            std::fprintf(stderr, "cachet: %s\n", opened.error().c_str());
            return 2;
        }
        access_log = std::move(*opened);
    }
    // A replay's answers are loaded, and a recording opened, before any socket listens.
    auto mode_parts = open_mode(config);
    if (!mode_parts) {
        std::fprintf(stderr, "cachet: %s\n", mode_parts.error().c_str());
        return 1;
    }
    // The certificate is read before any socket listens: a file that cannot be used stops
    // the start, naming it.
    std::unique_ptr<tls::ServerCertificate> certificate;
    if (!config.tls_cert.empty()) {
        auto loaded = tls::ServerCertificate::load(config.tls_cert, config.tls_key);
        if (!loaded) {
            std::fprintf(stderr, "cachet: --tls-cert: %s\n", loaded.error().c_str());
            return 1;
        }
        certificate = std::move(*loaded);
    }
    auto sockets = open_worker_sockets(config);
    if (!sockets) {
        std::fprintf(stderr, "cachet: %s\n", sockets.error().c_str());
        return 1;
    }
    const std::uint16_t port = sockets->port;
    // The admin listener: one socket, not shared (no SO_REUSEPORT), so a port another
    // process holds is refused here, before any thread starts.
    int admin_fd = -1;
    std::uint16_t admin_port = 0;
    if (config.admin_enabled) {
        auto socket = open_listen_socket(config.admin_host, config.admin_port, "--admin",
                                         /*reuse_port=*/false);
        if (!socket) {
            std::fprintf(stderr, "cachet: %s\n", socket.error().c_str());
            sockets->close_all();
            return 1;
        }
        admin_fd = socket->fd;
        admin_port = socket->port;
    }
    Runtime runtime(config, std::move(*origin_servers), access_log.get());
    runtime.replay = mode_parts->replay.get();
    runtime.recorder = mode_parts->recorder.get();
    runtime.tls_certificate = certificate.get();
    if (!config.persist.empty()) load_persisted(runtime.store, config);
    for (unsigned i = 0; i < config.workers; ++i) {
        runtime.workers.push_back(
            std::make_unique<Worker>(i, runtime, sockets->plain_fd(i), sockets->tls_fd(i)));
    }
    for (auto& worker : runtime.workers) worker->start();
    std::unique_ptr<persist::Persister> persister;
    if (!config.persist.empty() && config.persist_interval > 0) {
        persister = std::make_unique<persist::Persister>(runtime.store, config.persist,
                                                         config.persist_interval);
    }
    std::unique_ptr<admin::AdminServer> admin_server;
    std::string admin_note;
    if (admin_fd >= 0) {
        admin_server = std::make_unique<admin::AdminServer>(runtime, admin_fd);
        admin_server->start();
        admin_note = ", admin " + bracketed(config.admin_host) + ":" + std::to_string(admin_port);
    }
    const std::string origins = origins_summary(config);
    const std::string tls_address =
        certificate
            ? bracketed(config.tls_listen_set ? config.tls_listen_host : config.listen_host) + ":" +
                  std::to_string(sockets->tls_port)
            : std::string();
    const std::string tls_note = certificate ? ", tls " + tls_address : std::string();
    std::printf("cachet listening on %s:%u (%u %s, origin %s%s%s)\n",
                bracketed(config.listen_host).c_str(), port, config.workers,
                config.workers == 1 ? "worker" : "workers", origins.c_str(), tls_note.c_str(),
                admin_note.c_str());
    std::fflush(stdout);
    log::write(log::Level::info, "listening",
               {{"address", bracketed(config.listen_host) + ":" + std::to_string(port)},
                {"tls", tls_address},
                {"workers", static_cast<std::int64_t>(config.workers)},
                {"origin", origins}});

    int signal_number = 0;
    for (;;) {
        sigwait(&stop_signals, &signal_number);
        if (signal_number != SIGHUP) break;
        reload_config(runtime, reparse);
        if (certificate) reload_certificate(*certificate, config);
        // Also what log rotation asks of SIGHUP: the file moved away is followed by a new one.
        if (access_log) access_log->reopen();
    }
    log::write(log::Level::info, "stopping: finishing in-flight requests",
               {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"},
                {"drain_timeout_ms",
                 static_cast<std::int64_t>(runtime.configs.current()->drain_timeout)}});
    for (auto& worker : runtime.workers) worker->request_stop();
    for (auto& worker : runtime.workers) worker->join();
    const bool mode_closed = close_mode(*mode_parts, config, runtime.workers);
    // The last save, once nothing changes the store any more.
    if (persister) persister->stop();
    const bool persisted =
        config.persist.empty() ||
        persist::save_and_log(runtime.store, config.persist, isatty(STDERR_FILENO) != 0);
    // Every worker has handed over its last lines.
    if (access_log && !access_log->stop(kAccessLogPatience)) {
        // Its thread is blocked in a write and goes with the process: so does the writer,
        // held where the thread can still reach it.
        static AccessLogWriter* const abandoned = access_log.release();
        static_cast<void>(abandoned);
    }
    // Last: /readyz answers 503 while the workers drain.
    if (admin_server) admin_server->stop();
    return mode_closed && persisted ? 0 : 1;
}

}  // namespace cachet::server
