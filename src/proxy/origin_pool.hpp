#pragma once
// Per-worker pool of keep-alive connections to one origin server. Only its worker's thread
// uses it. Idle connections are reused most-recently-used first, up to the origin's
// keepalive of them. Which server a request goes to is decided by OriginPools
// (proxy/origin_pools.hpp), which owns one pool per server.
#include <sys/socket.h>

#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "admin/counters.hpp"
#include "cache/store.hpp"
#include "cachet/config.hpp"
#include "proxy/fill.hpp"
#include "proxy/inflight_table.hpp"
#include "proxy/leader_permit.hpp"
#include "proxy/origin_request.hpp"
#include "proxy/origin_set.hpp"
#include "proxy/response_head.hpp"
#include "tls/context.hpp"
#include "util/loop_clock.hpp"

namespace cachet::replay {
class Recorder;
}

namespace cachet::proxy {

class OriginConnection;
class OriginPools;

// What a fetch needs besides its request and fill; borrowed from the worker.
struct FetchContext {
    uv_loop_t* loop;
    const Config* config;  // the worker's current snapshot (server/config_source.hpp)
    cache::Store& store;
    InflightTable& inflight;
    LoopClock& clock;
    cache::PolicyOptions policy;
    admin::WorkerCounters& counters;  // the worker's: written on its thread only
    // Where recorded exchanges go (replay/recorder.hpp): null unless the process records.
    replay::Recorder* recorder = nullptr;
};

// The client exchange that caused a fetch, as the origin side sees it (same worker): it
// streams the request body in under flow control, and takes the interim responses.
class FetchClient {
public:
    virtual void on_body_drained() = 0;
    // Bytes of the response handed to the client's socket and not yet taken by it: the
    // origin stops reading a response that will not be stored while this is high.
    virtual std::size_t response_backlog() const noexcept = 0;
    // A relayed 1xx head (proxy/interim_response.hpp), before the final response's.
    virtual void on_interim(std::string head) = 0;
    // The connection no longer serves this exchange (it ended or failed): forget it.
    virtual void on_origin_gone() = 0;
    // The exchange was resent on another connection (a keep-alive connection the origin
    // had closed, a server that refused the connect): that one serves it from now on.
    virtual void on_origin_moved(OriginConnection& now) = 0;

protected:
    ~FetchClient() = default;
};

class OriginPool final : public tls::SessionSink {
public:
    // Borrows all but its connections from the worker's OriginPools.
    OriginPool(OriginPools& owner, FetchContext& context, char* read_buffer, OriginServer& server)
        : owner_(owner), context_(context), read_buffer_(read_buffer), server_(server) {}
    ~OriginPool();
    OriginPool(const OriginPool&) = delete;
    OriginPool& operator=(const OriginPool&) = delete;

    // Sends the request on an idle connection or a new one; the response feeds the
    // permit's fill, and the connection keeps the permit until the exchange ends.
    // The returned connection may be given the exchange's FetchClient (attach_client); it
    // stays valid until it calls on_origin_gone.
    OriginConnection* start(OriginRequest request, LeaderPermit permit,
                            bool fresh_connection = false);

    // Called by a connection whose exchange ended cleanly with keep-alive.
    void park(OriginConnection& connection);
    void forget(OriginConnection& connection);  // it is closing
    void close_all();

    OriginPools& owner() noexcept { return owner_; }
    FetchContext& context() noexcept { return context_; }
    OriginServer& server() noexcept { return server_; }
    // The server's origin as the worker's current snapshot has it (timeouts, limits).
    const Origin& settings() const noexcept { return context_.config->origins[server_.origin]; }
    admin::OriginCounters& counters() noexcept { return context_.counters.origins[server_.origin]; }
    // One read buffer for all of this worker's origin connections: libuv fills it and calls
    // the read callback before any other read, and every byte is copied out (head bytes,
    // fill chunks) before the callback returns.
    static constexpr unsigned kReadBufferSize = 64 * 1024;
    uv_buf_t read_buffer() noexcept { return uv_buf_init(read_buffer_, kReadBufferSize); }
    std::size_t idle_count() const noexcept { return idle_.size(); }

    // An https:// server's latest TLS session, offered when a new connection opens so that it
    // resumes rather than makes a full handshake (null: none yet).
    SSL_SESSION* resumable_session() const noexcept { return session_.get(); }
    void on_new_session(tls::SessionPtr session) noexcept override {
        session_ = std::move(session);
    }
    // Whether a TLS failure of this server should be logged now: once in a while, not once
    // per request (every request fails the same way until its certificate is fixed).
    bool should_log_tls_failure(Millis now) noexcept;

private:
    OriginPools& owner_;
    FetchContext& context_;
    char* read_buffer_;
    OriginServer& server_;
    std::vector<OriginConnection*> idle_;
    std::vector<OriginConnection*> busy_;
    bool closing_ = false;
    tls::SessionPtr session_;
    Millis tls_failure_logged_ = 0;
};

}  // namespace cachet::proxy
