#pragma once
// One TCP connection to the origin, carrying one exchange at a time: it writes an
// OriginRequest (and the streamed request body), parses the response with llhttp in
// response mode and feeds the Fill. It ends its own life: close() -> close callbacks ->
// delete; the pool only borrows it.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <llhttp.h>
#include <uv.h>

#include "proxy/fill.hpp"
#include "proxy/leader_permit.hpp"
#include "proxy/origin_pool.hpp"
#include "proxy/origin_request.hpp"
#include "proxy/response_head.hpp"

namespace cachet::proxy {

class OriginConnection {
public:
    explicit OriginConnection(OriginPool& pool);

    void start(OriginRequest request, LeaderPermit permit);
    bool is_idle() const noexcept { return phase_ == Phase::idle; }
    void close() noexcept;

    // The client exchange this fetch serves (same worker): it streams the request body and
    // takes interim responses. False when the exchange already ended (a connect that failed
    // at once): nothing is kept then. Until on_origin_gone, the client calls client_left()
    // before it goes away.
    bool attach_client(FetchClient* client) noexcept;
    void client_left() noexcept {
        client_ = nullptr;
        resume_response();  // nobody left to wait for: read on (and stop, if nobody reads)
    }
    // Flow control of a response that will not be stored: reading stops while the client's
    // backlog is over kResponseBacklogLimit and resumes when the client drains.
    static constexpr std::size_t kResponseBacklogLimit = 1u << 20;
    void resume_response() noexcept;
    // Request body, streamed from the client.
    void send_body(const char* data, std::size_t size);
    void end_body();
    std::size_t body_backlog() const noexcept { return body_bytes_in_flight_; }

private:
    enum class Phase : std::uint8_t { fresh, connecting, exchanging, idle, closing };
    struct BodyWrite;

    ~OriginConnection() = default;  // only the close callbacks delete
    void connect();
    void send_head();
    void write_bytes(std::string bytes, bool is_body);
    void begin_reading();
    void arm_timer(Millis ms, Errc on_expiry);

    void handle_connect(int status);
    void handle_read(ssize_t nread, const uv_buf_t* buf);
    void handle_idle_read(ssize_t nread);
    void handle_timeout();
    void handle_write_done(std::size_t body_bytes, int status);
    void handle_closed();

    int handle_status(const char* at, std::size_t size);
    int handle_header_field(const char* at, std::size_t size);
    int handle_header_value(const char* at, std::size_t size);
    int handle_headers_complete();
    int handle_body(const char* at, std::size_t size);
    int handle_message_complete();

    void finish_exchange();
    void fail_exchange(Errc error);
    void store_and_complete();
    void refresh_stored(const OriginResponse& response, Seconds now);
    // A copy of `old` with `update`'s fields (a 304's or an agreeing HEAD's, RFC 9111
    // §4.3.4-§4.3.5) and the freshness they give, inserted when still usable.
    struct Updated {
        cache::EntryRef entry;
        bool stored = false;
    };
    Updated store_updated(const cache::Entry& old, http::HeaderSpan update, Seconds now);
    void publish_stored(const cache::EntryRef& entry, int origin_status, std::string_view detail,
                        bool stored);
    void invalidate_targets(const OriginResponse& response);
    void check_stored_get(const OriginResponse& response, Seconds now);
    void reset_response_state();
    void relay_interim(int status);
    std::vector<http::HeaderView> field_views() const;  // of head_bytes_, miss path
    void detach_client() noexcept;

    static const llhttp_settings_t& parser_settings();

    OriginPool& pool_;
    FetchContext& context_;
    uv_tcp_t tcp_;
    uv_timer_t timer_;
    uv_connect_t connect_req_;
    llhttp_t parser_;
    Phase phase_ = Phase::fresh;
    int open_handles_ = 0;
    bool reused_ = false;
    bool response_started_ = false;  // any byte of the response seen
    bool head_published_ = false;
    bool interim_ = false;  // parsing a 1xx response
    bool keep_alive_ = false;
    bool message_done_ = false;       // the final response ended
    bool discard_body_ = false;       // a stored response stands in for this one's body
    bool served_from_store_ = false;  // the fill was answered from a stored response
    Errc timer_error_ = Errc::origin_connect_timeout;

    OriginRequest request_;
    LeaderPermit permit_;  // the fetch's claim on its fill, until the exchange ends
    FetchClient* client_ = nullptr;
    bool response_paused_ = false;  // reading stopped for the client's backlog
    std::string pending_body_;      // body bytes that arrived before the connection was up
    bool body_ended_ = false;
    std::size_t body_bytes_in_flight_ = 0;

    // The response head as it arrives: field bytes appended to one string, indexed by offsets
    // (valid across reads, unlike llhttp's pointers into each read buffer).
    std::string head_bytes_;
    struct FieldOffsets {
        std::uint32_t name_at, name_len, value_at, value_len;
    };
    std::vector<FieldOffsets> fields_;
    bool in_value_ = false;
    std::uint32_t reason_at_ = 0, reason_len_ = 0;
};

}  // namespace cachet::proxy
