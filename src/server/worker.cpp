#include "server/worker.hpp"

#include <cstdio>

#include "server/client_connection.hpp"
#include "util/log.hpp"

namespace cachet::server {
namespace {

// Connections still busy this long after a stop request are closed anyway.
constexpr Millis kSweepInterval = 1'000;

cache::PolicyOptions policy_options(const Config& config) {
    cache::PolicyOptions policy;
    policy.store_set_cookie = config.store_set_cookie;
    return policy;
}

proxy::FetchContext fetch_context(uv_loop_t* loop, Runtime& runtime, const Config& config,
                                  LoopClock& clock, admin::WorkerCounters& counters) {
    return proxy::FetchContext{
        loop,     &config,         runtime.store, runtime.inflight, clock, policy_options(config),
        counters, runtime.recorder};
}

uv_loop_t* init_loop(uv_loop_t* loop) {
    uv_loop_init(loop);
    return loop;
}

}  // namespace

Worker::Worker(unsigned index, Runtime& runtime, int listen_fd, int tls_listen_fd)
    : index_(index),
      runtime_(runtime),
      config_generation_(runtime.configs.generation()),
      config_(runtime.configs.current()),
      counters_(runtime.config.origins.size()),
      top_keys_(0x9E3779B97F4A7C15ULL * (index + 1)),  // a sampling sequence per worker
      origins_(fetch_context(init_loop(&loop_), runtime, *config_, clock_, counters_),
               *runtime.origin_servers, index) {
    listens_plain_ = listen_fd >= 0;
    listens_tls_ = tls_listen_fd >= 0;
    if (listens_plain_) {
        uv_tcp_init(&loop_, &listener_);
        uv_tcp_open(&listener_, listen_fd);
        listener_.data = this;
    }
    if (listens_tls_) {
        uv_tcp_init(&loop_, &tls_listener_);
        uv_tcp_open(&tls_listener_, tls_listen_fd);
        tls_listener_.data = this;
    }
    uv_async_init(&loop_, &wakeup_,
                  [](uv_async_t* a) { static_cast<Worker*>(a->data)->handle_wakeup(); });
    wakeup_.data = this;
    uv_timer_init(&loop_, &sweep_);
    sweep_.data = this;
    uv_idle_init(&loop_, &local_wakeup_);
    local_wakeup_.data = this;
    if (runtime.access_log != nullptr) {
        access_log_ = std::make_unique<AccessLog>(&loop_, *runtime.access_log, index,
                                                  config_->access_log_format);
    }
}

Worker::~Worker() { uv_loop_close(&loop_); }

void Worker::start() {
    // The socket listens already (listener.cpp): connections queue from now on, so the
    // worker counts as accepting from the readiness line on, unless uv_listen fails.
    accepting_.store(true, std::memory_order_relaxed);
    thread_ = std::thread([this] { run(); });
}

void Worker::join() {
    if (thread_.joinable()) thread_.join();
}

void Worker::listen(uv_tcp_t& listener, bool tls) {
    auto on_connection = [](uv_stream_t* server, int status) {
        if (status < 0) return;
        auto* worker = static_cast<Worker*>(server->data);
        ClientConnection::accept(*worker, server);
    };
    auto on_tls_connection = [](uv_stream_t* server, int status) {
        if (status < 0) return;
        auto* worker = static_cast<Worker*>(server->data);
        ClientConnection::accept(*worker, server, worker->runtime_.tls_certificate);
    };
    int rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener), 4096,
                       tls ? +on_tls_connection : +on_connection);
    if (rc != 0) {
        log::write(log::Level::error, "listen failed",
                   {{"worker", static_cast<std::int64_t>(index_)},
                    {"tls", tls},
                    {"error", uv_strerror(rc)}});
        accepting_.store(false, std::memory_order_relaxed);
    }
}

void Worker::close_listeners() {
    if (listens_plain_) uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
    if (listens_tls_) uv_close(reinterpret_cast<uv_handle_t*>(&tls_listener_), nullptr);
}

void Worker::run() {
    if (listens_plain_) listen(listener_, false);
    if (listens_tls_) listen(tls_listener_, true);
    uv_timer_start(
        &sweep_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->handle_sweep(); },
        kSweepInterval, kSweepInterval);
    uv_run(&loop_, UV_RUN_DEFAULT);
    // Every handle is closed by now; run once more for close callbacks still pending.
    uv_run(&loop_, UV_RUN_DEFAULT);
    // The last lines, of requests that ended as the connections closed, before the writer
    // is stopped (server.cpp stops it once every worker has joined).
    if (access_log_) access_log_->flush();
}

void Worker::post_fill(proxy::FillRef fill) {
    std::lock_guard lock(mailbox_mutex_);
    if (mailbox_closed_) return;  // this worker has stopped: it has no subscribers left
    mailbox_.push_back(std::move(fill));
    uv_async_send(&wakeup_);
}

void Worker::post_fill_local(proxy::FillRef fill) {
    if (uv_is_closing(reinterpret_cast<uv_handle_t*>(&local_wakeup_))) return;  // stopped
    if (local_fills_.empty()) {
        uv_idle_start(&local_wakeup_, [](uv_idle_t* idle) {
            static_cast<Worker*>(idle->data)->handle_local_fills();
        });
    }
    local_fills_.push_back(std::move(fill));
}

void Worker::handle_local_fills() {
    std::vector<proxy::FillRef> fills;
    fills.swap(local_fills_);
    for (auto& fill : fills) fill->deliver(index_);
    if (local_fills_.empty()) uv_idle_stop(&local_wakeup_);
}

void Worker::request_stop() {
    stop_requested_.store(true);
    std::lock_guard lock(mailbox_mutex_);
    if (!mailbox_closed_) uv_async_send(&wakeup_);
}

void Worker::handle_wakeup() {
    std::vector<proxy::FillRef> fills;
    {
        std::lock_guard lock(mailbox_mutex_);
        fills.swap(mailbox_);
    }
    // A new configuration first: the fills delivered next and everything after use it.
    if (runtime_.configs.generation() != config_generation_) adopt_config();
    for (auto& fill : fills) fill->deliver(index_);
    if (stop_requested_.load() && !draining_) begin_drain();
}

void Worker::config_changed() {
    std::lock_guard lock(mailbox_mutex_);
    if (!mailbox_closed_) uv_async_send(&wakeup_);
}

void Worker::adopt_config() {
    // Between callbacks on this loop: no request is halfway through the old snapshot.
    config_generation_ = runtime_.configs.generation();
    config_ = runtime_.configs.current();
    origins_.adopt(*config_, policy_options(*config_));
}

void Worker::add(ClientConnection& connection) noexcept {
    admin::bump(counters_.client_connections, 1);
    connection.next_in_worker_ = connections_;
    connection.prev_in_worker_ = nullptr;
    if (connections_) connections_->prev_in_worker_ = &connection;
    connections_ = &connection;
}

void Worker::remove(ClientConnection& connection) noexcept {
    admin::bump(counters_.client_connections, -1);
    if (connection.prev_in_worker_)
        connection.prev_in_worker_->next_in_worker_ = connection.next_in_worker_;
    else if (connections_ == &connection)
        connections_ = connection.next_in_worker_;
    if (connection.next_in_worker_)
        connection.next_in_worker_->prev_in_worker_ = connection.prev_in_worker_;
    connection.next_in_worker_ = connection.prev_in_worker_ = nullptr;
    if (draining_ && connections_ == nullptr) close_everything();
}

void Worker::handle_sweep() {
    published_top_keys_.publish(top_keys_);
    Millis now = clock_.monotonic_ms();
    bool grace_over = draining_ && now - drain_started_ >= config().drain_timeout;
    for (ClientConnection* c = connections_; c != nullptr;) {
        ClientConnection* next = c->next_in_worker_;
        if (grace_over || c->idle_too_long(now, config().client_timeout) ||
            (draining_ && c->is_idle())) {
            c->close();
        }
        c = next;
    }
}

void Worker::begin_drain() {
    draining_ = true;
    accepting_.store(false, std::memory_order_relaxed);
    drain_started_ = clock_.monotonic_ms();
    close_listeners();
    for (ClientConnection* c = connections_; c != nullptr;) {
        ClientConnection* next = c->next_in_worker_;
        if (c->is_idle()) c->close();
        c = next;
    }
    if (connections_ == nullptr) close_everything();
}

void Worker::close_everything() {
    if (uv_is_closing(reinterpret_cast<uv_handle_t*>(&wakeup_))) return;
    origins_.close_all();
    uv_close(reinterpret_cast<uv_handle_t*>(&sweep_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&local_wakeup_), nullptr);
    if (access_log_) access_log_->close();
    local_fills_.clear();
    std::lock_guard lock(mailbox_mutex_);
    mailbox_closed_ = true;
    mailbox_.clear();
    uv_close(reinterpret_cast<uv_handle_t*>(&wakeup_), nullptr);
}

}  // namespace cachet::server
