#pragma once
// A worker: one thread, one uv_loop_t, one listening socket (SO_REUSEPORT), its own client
// connections, origin pool and clock. Nothing on its loop is touched by another thread;
// the only entry points for other threads are post_fill() and request_stop().
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <uv.h>

#include "admin/counters.hpp"
#include "admin/top_keys.hpp"
#include "json/body_parser.hpp"
#include "proxy/origin_pools.hpp"
#include "replay/unmatched.hpp"
#include "server/access_log.hpp"
#include "server/runtime.hpp"
#include "util/loop_clock.hpp"

namespace cachet::server {

class ClientConnection;

class Worker {
public:
    // Its listening sockets (listener.hpp): plain HTTP and TLS, either one -1 for none.
    Worker(unsigned index, Runtime& runtime, int listen_fd, int tls_listen_fd = -1);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start();  // spawns the thread
    void join();

    // --- any thread ---
    void post_fill(proxy::FillRef fill);  // wake this worker's subscribers of `fill`
    void request_stop();                  // graceful: stop accepting, finish, close
    void config_changed();                // adopt runtime.configs' new snapshot

    // --- this worker's thread only ---
    // Like post_fill, from this worker's own thread: queued locally and delivered before
    // the loop next polls, without the eventfd write and read of the mailbox.
    void post_fill_local(proxy::FillRef fill);
    unsigned index() const noexcept { return index_; }
    uv_loop_t* loop() noexcept { return &loop_; }
    LoopClock& clock() noexcept { return clock_; }
    // This worker's snapshot of the configuration, replaced only between loop callbacks.
    const Config& config() const noexcept { return *config_; }
    Runtime& runtime() noexcept { return runtime_; }
    proxy::OriginPools& origins() noexcept { return origins_; }
    bool draining() const noexcept { return draining_; }
    // This worker's access log, or null when --access-log is off: the one test a request
    // makes of the log when it is off.
    AccessLog* access_log() noexcept { return access_log_.get(); }
    // Written by this worker's thread only (admin/counters.hpp); read by the admin thread.
    admin::WorkerCounters& counters() noexcept { return counters_; }
    // This worker's most-hit keys (admin/top_keys.hpp), published once a second.
    admin::TopKeys& top_keys() noexcept { return top_keys_; }
    // A replay's unmatched requests on this worker, read by the main thread after join().
    replay::UnmatchedRequests& unmatched() noexcept { return unmatched_; }
    // For keying bodies as JSON (server/body_keying.cpp): one parser and one buffer per
    // worker, made on first use, grown to the largest body and reused.
    json::BodyParser& body_parser() {
        if (!body_parser_) body_parser_ = std::make_unique<json::BodyParser>();
        return *body_parser_;
    }
    std::string& body_key_scratch() noexcept { return body_key_scratch_; }
    // Where a TLS connection's ciphertext is read to, copied into its session at once.
    uv_buf_t cipher_buffer() noexcept {
        if (!cipher_buffer_) cipher_buffer_ = std::make_unique<char[]>(kCipherBuffer);
        return uv_buf_init(cipher_buffer_.get(), kCipherBuffer);
    }

    // --- any thread ---
    const admin::WorkerCounters& counters() const noexcept { return counters_; }
    // The copy of top_keys() made at the last sweep.
    const admin::PublishedTopKeys& published_top_keys() const noexcept {
        return published_top_keys_;
    }
    // Listening and not asked to stop: what /readyz reports.
    bool accepting() const noexcept {
        return accepting_.load(std::memory_order_relaxed) &&
               !stop_requested_.load(std::memory_order_relaxed);
    }

    // --- this worker's thread only ---
    void add(ClientConnection& connection) noexcept;
    void remove(ClientConnection& connection) noexcept;

private:
    void run();
    void handle_wakeup();
    void handle_local_fills();
    void handle_sweep();
    void begin_drain();
    void adopt_config();
    void close_everything();

    const unsigned index_;
    Runtime& runtime_;
    // This thread only. The generation is read before the snapshot, so it is never newer.
    std::uint64_t config_generation_;
    std::shared_ptr<const Config> config_;
    admin::WorkerCounters counters_;
    admin::TopKeys top_keys_;              // this thread only
    replay::UnmatchedRequests unmatched_;  // this thread only, until joined
    std::unique_ptr<json::BodyParser> body_parser_;
    std::string body_key_scratch_;
    admin::PublishedTopKeys published_top_keys_;  // its copy for the admin thread
    uv_loop_t loop_;
    LoopClock clock_{&loop_};
    void listen(uv_tcp_t& listener, bool tls);
    void close_listeners();
    uv_tcp_t listener_;      // plain HTTP, when listens_plain_
    uv_tcp_t tls_listener_;  // TLS with runtime_.tls_certificate, when listens_tls_
    bool listens_plain_ = false;
    bool listens_tls_ = false;
    static constexpr unsigned kCipherBuffer = 64 * 1024;
    std::unique_ptr<char[]> cipher_buffer_;
    uv_async_t wakeup_;
    uv_idle_t local_wakeup_;                   // runs while local_fills_ is not empty
    std::vector<proxy::FillRef> local_fills_;  // this thread only
    uv_timer_t sweep_;
    proxy::OriginPools origins_;
    std::unique_ptr<AccessLog> access_log_;  // null when off
    std::thread thread_;
    bool draining_ = false;
    Millis drain_started_ = 0;
    ClientConnection* connections_ = nullptr;  // intrusive list, this thread only

    std::mutex mailbox_mutex_;
    std::vector<proxy::FillRef> mailbox_;  // guarded by mailbox_mutex_
    bool mailbox_closed_ = false;          // guarded by mailbox_mutex_; wakeup_ is closing
    std::atomic<bool> stop_requested_{false};
    std::atomic<bool> accepting_{false};
};

}  // namespace cachet::server
