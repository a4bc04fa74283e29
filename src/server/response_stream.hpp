#pragma once
// Streams one Fill to one client: writes the head when it arrives, then body bytes as the
// origin delivers them (zero copy: slices of the fill's chunks), framed for this client
// (Content-Length, chunked, or close-delimited for HTTP/1.0). A waiter (a coalesced miss)
// that gets no head before its deadline, or whose fill turns out not storable or fails
// early, fetches on its own instead. A collected stream (ClientInfo::collected) writes
// nothing: it gathers the whole response for its connection to answer from
// (server/collected_response.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <uv.h>

#include "cache/decision.hpp"
#include "cache/vary.hpp"
#include "proxy/fill.hpp"
#include "proxy/inflight_table.hpp"
#include "proxy/leader_permit.hpp"
#include "proxy/origin_pool.hpp"
#include "proxy/origin_request.hpp"
#include "server/access_log_line.hpp"
#include "server/held_request.hpp"
#include "server/response_tail.hpp"

namespace cachet::proxy {
class OriginConnection;
}

namespace cachet::server {

class ClientConnection;

// What a collected stream ends with: the origin's whole response, or why there is none.
struct Collected {
    const proxy::FillHead* head = nullptr;  // null: no response, `failure` says why
    std::string_view body;                  // the whole body, when there is a head
    std::string_view failure;               // a static one-line reason, when there is none
    int failure_status = 502;               // 504 when the origin timed out
    std::int64_t origin_us = -1;            // for the access log, when it is on
    std::int64_t duration_us = 0;
};

class ResponseStream final : public proxy::FillSubscriber, public proxy::FetchClient {
public:
    using Role = proxy::InflightTable::Role;

    explicit ResponseStream(ClientConnection& connection) : connection_(connection) {}
    void init_timer(uv_loop_t* loop);
    void close_timer(void* owner, uv_close_cb on_closed);

    struct ClientInfo {
        bool http10 = false;
        bool keep_alive = true;
        bool head_request = false;
        cache::Forward forward = cache::Forward::miss;  // Cache-Status fwd, unless a stale
                                                        // response rode along
        // The request's route counters (cache::Route::counter_slot): a copy, as the stream
        // may outlive the Config snapshot its route lives in.
        std::uint8_t route_slot = 0;
        // The response is collected whole and handed to the connection
        // (ClientConnection::on_collected), which answers the client itself; at most
        // kMaxCollected body bytes, a larger one is given up on.
        bool collected = false;
    };
    // The cap a held request's body has (what a collected response answers is one).
    static constexpr std::size_t kMaxCollected = HeldRequest::kMaxBody;
    // Starts streaming `fill`. For the leader and alone roles, `request` is sent to the
    // origin now with `permit` (the fill's); a waiter has none and keeps the request in
    // case it must fetch on its own later.
    void start(Role role, proxy::FillRef fill, proxy::LeaderPermit&& permit,
               proxy::OriginRequest request, ClientInfo client);
    void cancel() noexcept;  // the client went away
    bool active() const noexcept { return static_cast<bool>(fill_); }

    // Request body (leader/alone of a request with a body).
    void send_body(const char* data, std::size_t size);
    void end_body();
    bool body_backlogged() const noexcept;

    void on_fill_progress() override;
    void on_body_drained() override;
    std::size_t response_backlog() const noexcept override;
    // The client's socket took some of what was queued for it.
    void on_client_drained() noexcept;
    void on_interim(std::string head) override;
    void on_origin_gone() override { origin_ = nullptr; }
    void on_origin_moved(proxy::OriginConnection& now) override { origin_ = &now; }

private:
    enum class Framing : std::uint8_t { length, chunked, close_delimited, none };

    void fetch(proxy::OriginRequest request, proxy::LeaderPermit&& permit);
    // A collected stream's on_fill_progress (collected_response.cpp).
    void collect_progress();
    void end_collected(Collected response);
    void go_alone();
    // RFC 9111 §4.1: whether this waiter may be given the response of `head`. When not,
    // `own` holds this request's secondary key for the response's Vary names (empty when
    // it cannot be built).
    bool may_share(const proxy::FillHead& head, cache::SecondaryKeyBuffer& own) const;
    void join_own_variant(std::string_view secondary_key);
    std::string head_text(const proxy::FillHead& head);  // marks the head as sent
    void send_body_bytes(std::uint64_t upto, std::string prefix = {});
    void send_error(Errc error);
    void finish();
    void detach() noexcept;
    // The access log's line of this answer, once, as it ends (when the log is on).
    void log_end() noexcept;
    ResponseTail tail_of(const proxy::FillHead& head) const;
    static admin::CacheStatus cache_status_of(const proxy::FillHead& head,
                                              const ResponseTail& tail) noexcept;

    ClientConnection& connection_;
    uv_timer_t wait_timer_;
    proxy::FillRef fill_;
    Role role_ = Role::leader;
    ClientInfo client_;
    std::optional<proxy::OriginRequest> request_;  // kept by a waiter for going alone
    proxy::OriginConnection* origin_ = nullptr;    // while the fetch this stream caused runs
    bool head_sent_ = false;
    bool rejoined_ = false;  // a waiter moved to its own variant's fill (at most once)
    bool keep_alive_ = true;
    Framing framing_ = Framing::length;
    std::uint64_t sent_ = 0;
    // For the access log, when it is on (from start() to log_end()): the answer as it
    // becomes known, and when the stream started (uv_hrtime).
    bool logging_ = false;
    std::uint64_t started_ns_ = 0;
    LoggedAnswer answer_;
};

}  // namespace cachet::server
