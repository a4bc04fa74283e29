#pragma once
// One TCP connection to the origin, carrying one exchange at a time: it writes an
// OriginRequest (and the streamed request body), parses the response with llhttp in
// response mode and feeds the fill of the LeaderPermit it holds. It ends its own life:
// close() -> close callbacks -> delete; the pool only borrows it.
// Files: origin_connection.cpp (I/O: connect, read, write, timers, close),
// response_parsing.cpp (the llhttp callbacks: what the response does to the fill),
// origin_exchange.hpp (where the response stands), store_updates.hpp (what it does to
// the store), origin_drill.cpp (what a drill on the origin does instead: request_.drill),
// origin_tls.cpp (an https:// server: the handshake, and the bytes through tls_).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <llhttp.h>
#include <uv.h>

#include "proxy/exchange_recording.hpp"
#include "proxy/fill.hpp"
#include "proxy/leader_permit.hpp"
#include "proxy/origin_exchange.hpp"
#include "proxy/origin_pool.hpp"
#include "proxy/origin_request.hpp"
#include "proxy/response_head.hpp"
#include "tls/channel.hpp"

namespace cachet::proxy {

class OriginConnection {
public:
    explicit OriginConnection(OriginPool& pool);

    void start(OriginRequest request, LeaderPermit&& permit);
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
    // The connection's own phase; the response's is exchange_.phase().
    // cut: a drill cut the response mid-body; the reset follows (origin_drill.cpp).
    enum class Phase : std::uint8_t { fresh, connecting, exchanging, cut, idle, closing };
    struct BodyWrite;

    ~OriginConnection() = default;  // only the close callbacks delete
    void connect();
    void send_head();
    void write_bytes(std::string bytes, bool is_body);
    void begin_reading();
    void arm_timer(Millis ms, Errc on_expiry);
    void arm_first_byte_timer();

    // --- drills (origin_drill.cpp); request_.drill says what this exchange plays ---
    bool drilled() const noexcept { return request_.drill.kind != DrillActionKind::none; }
    void stand_in_for_origin();
    void arm_drill_timer(Millis ms);
    void take_drill_step();
    void answer_from_drill();
    void hold_response(Millis first_byte_limit);
    void release_response();
    bool cuts_here(std::size_t size);  // this body piece goes past the cut
    int cut_body(const char* at);

    void handle_connect(int status);
    // Connected (and, to an https:// server, the handshake done): the request goes out.
    void on_established();
    void handle_read(ssize_t nread, const uv_buf_t* buf);
    // The response's bytes as sent (plaintext): what handle_read does for plain HTTP, and
    // what the TLS session decrypts otherwise; nread < 0 is the end (UV_EOF) or a failure.
    void handle_response_bytes(ssize_t nread, const char* data);
    void handle_idle_read(ssize_t nread);

    // --- an https:// server (origin_tls.cpp); tls_ is null for plain HTTP ---
    void start_tls();
    // Feeds what the socket read; during the handshake, advances it.
    void handle_ciphertext(ssize_t nread, const uv_buf_t* buf);
    void advance_handshake();
    // Hands the decrypted response on, until the session has no more or reading pauses.
    void drain_plaintext();
    // Reading resumed with bytes still in the session, which no socket read will bring:
    // drained from the timer on the next loop turn (not inside the client's callback).
    void drain_later();
    // An idle connection's ciphertext: a ticket is fine, anything else closes it.
    void handle_idle_ciphertext(ssize_t nread, const uv_buf_t* buf);
    // Encrypts and sends `bytes`; `body_bytes` of them are request body (flow control).
    void write_encrypted(std::string_view bytes, std::size_t body_bytes);
    bool send_tls_output(std::size_t body_bytes);
    void handle_timeout();
    void handle_write_done(std::size_t body_bytes, int status);
    void handle_closed();

    int handle_headers_complete();
    int handle_body(const char* at, std::size_t size);
    int handle_message_complete();

    void finish_exchange();
    void fail_connect(Errc error);
    void note_server_failure();
    void fail_exchange(Errc error, bool counted = false);
    void relay_interim(int status);
    void detach_client() noexcept;
    // A retry of this exchange on `next` (null: none) takes over its client exchange.
    static void hand_over(FetchClient* client, OriginConnection* next) noexcept;

    static const llhttp_settings_t& parser_settings();

    OriginPool& pool_;
    FetchContext& context_;
    uv_tcp_t tcp_;
    uv_timer_t timer_;
    uv_connect_t connect_req_;
    llhttp_t parser_;
    Phase phase_ = Phase::fresh;
    int open_handles_ = 0;
    bool reused_ = false;           // the exchange runs on a kept-alive connection
    std::uint64_t started_ns_ = 0;  // uv_hrtime() when the exchange started
    Errc timer_error_ = Errc::origin_connect_timeout;
    bool drill_timer_ = false;           // timer_ runs a drill's step, not a timeout
    bool drain_timer_ = false;           // timer_ runs drain_plaintext on the next loop turn
    std::unique_ptr<tls::Channel> tls_;  // an https:// server's session, from connect on

    OriginRequest request_;
    // The exchange being recorded (request_.recorded), from its response head on.
    std::unique_ptr<ExchangeRecording> recording_;
    void drop_recording() noexcept;
    void finish_recording();
    LeaderPermit permit_;      // the fetch's claim on its fill, until the exchange ends
    OriginExchange exchange_;  // where the response stands, and its head as it arrives
    FetchClient* client_ = nullptr;
    bool response_paused_ = false;  // reading stopped for the client's backlog
    std::string pending_body_;      // body bytes that arrived before the connection was up
    bool body_ended_ = false;       // the request body (if any) is all on its way
    std::size_t body_bytes_in_flight_ = 0;
};

}  // namespace cachet::proxy
