#pragma once
// One client connection on one worker: reads into its own buffer, parses requests with
// llhttp, answers hits straight from store entries (HitBatch) and streams misses through a
// ResponseStream. Responses leave in request order: a request is dispatched only after the
// previous one's response has been fully queued.
//
// Lifetime: created by accept(), ended only by close(); the close callbacks delete it.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <llhttp.h>
#include <uv.h>

#include "admin/route_labels.hpp"
#include "cache/decision.hpp"
#include "cache/derivation.hpp"
#include "cache/entry.hpp"
#include "cache/key.hpp"
#include "cache/policy.hpp"
#include "cache/route.hpp"
#include "cache/variants.hpp"
#include "http/http_date.hpp"
#include "http/request_head.hpp"
#include "proxy/fill.hpp"
#include "replay/recorded_request.hpp"
#include "server/access_log_line.hpp"
#include "server/answer_delay.hpp"
#include "server/held_request.hpp"
#include "server/hit_batch.hpp"
#include "server/request_state.hpp"
#include "server/response_stream.hpp"
#include "server/response_tail.hpp"
#include "server/rpc_batch_state.hpp"
#include "tls/channel.hpp"
#include "util/errc.hpp"
#include "util/write_now.hpp"

namespace cachet::server {

class AccessLog;
class Worker;
}  // namespace cachet::server
namespace cachet::tls {
class ServerCertificate;
}  // namespace cachet::tls
namespace cachet::server {

class ClientConnection {
public:
    // `certificate`: the listener speaks TLS with it (null: plain HTTP).
    static void accept(Worker& worker, uv_stream_t* listener,
                       tls::ServerCertificate* certificate = nullptr);
    void close() noexcept;

    bool is_idle() const noexcept {
        return !stream_.active() && writes_in_flight_ == 0 && !parse_.in_message() &&
               !delay_.active();
    }
    // Idle past the timeout, or slower than the timeout to send one whole request head
    // (a client dribbling its head a byte at a time is not idle, but holds a connection).
    // Or a client that takes none of what is written to it for as long (a send timeout).
    bool idle_too_long(Millis now, Millis timeout) const noexcept {
        if (head_started_ != 0 && now - head_started_ > timeout) return true;
        if (writes_in_flight_ > 0 && now - last_write_progress_ > timeout) return true;
        return !stream_.active() && now - last_activity_ > timeout;
    }

    // --- used by ResponseStream and HitBatch (same thread) ---
    Worker& worker() noexcept { return worker_; }
    uv_stream_t* stream() noexcept { return reinterpret_cast<uv_stream_t*>(&tcp_); }
    // Bytes queued for the socket that it has not taken yet.
    std::size_t write_backlog() const noexcept {
        return uv_stream_get_write_queue_size(reinterpret_cast<const uv_stream_t*>(&tcp_));
    }
    void write_owned(std::string bytes);
    // Writes what the socket takes now; the rest of bufs[0..count) is left for a uv_write
    // (partial). Over TLS everything is taken: encrypted, and its ciphertext queued here.
    WriteNow send_now(uv_buf_t*& bufs, unsigned& count) noexcept {
        if (tls_) [[unlikely]]
            return send_encrypted(bufs, count);
        return write_now(stream(), bufs, count);
    }
    // Writes prefix + slices + suffix; `fill` or `entry` keeps the slices' bytes alive.
    // Once written, the fill hears that its bytes below `fill_through` are (release_through).
    void write_slices(std::string prefix, const std::vector<proxy::Fill::Slice>& slices,
                      std::string_view suffix, proxy::FillRef fill, cache::EntryRef entry = {},
                      std::uint64_t fill_through = 0);
    void on_stream_done(bool keep_alive);
    void abort_now() noexcept { close(); }
    void on_write_done(int status);
    void recycle(HitBatch* batch) noexcept;
    void resume_reading() noexcept;
    // The access log's line of a streamed response, written as it ends, with the request as
    // start_stream() copied it (a no-op when the log is off).
    void log_streamed(const LoggedAnswer& answer) noexcept;
    // A collected stream's end (response_stream.hpp): a JSON-RPC batch's forwarded calls
    // answered, or not (server/rpc_batch_dispatch.cpp). `keep_alive`: the stream's say.
    void on_collected(const Collected& response, bool keep_alive);

    ClientConnection* next_in_worker_ = nullptr;  // the worker's list, its thread only
    ClientConnection* prev_in_worker_ = nullptr;

private:
    explicit ClientConnection(Worker& worker);
    ~ClientConnection() = default;  // only the close callbacks delete

    void handle_alloc(uv_buf_t* buf);
    void handle_read(ssize_t nread);
    // The end of the client's input: UV_EOF (it closed its side) or an error.
    void on_read_end(ssize_t status);
    // Bytes that arrived at buffer_ + end_ (plaintext, over TLS decrypted there).
    void take_input(std::size_t size);
    // Room at buffer_ + end_: parsed bytes reclaimed first.
    void make_room() noexcept;

    // --- a TLS listener's connection (server/client_tls.cpp); tls_ is null otherwise ---
    void handle_ciphertext(ssize_t nread);
    // Decrypts what the session holds into buffer_ while the connection reads.
    void drain_plaintext();
    WriteNow send_encrypted(uv_buf_t*& bufs, unsigned& count) noexcept;
    WriteNow flush_tls() noexcept;
    bool send_tls_output() noexcept;  // false: the connection closed
    // Reading resumed with plaintext still in the session: drained on the next loop turn.
    void resume_tls_later() noexcept;
    void say_goodbye() noexcept;  // close_notify, written if the socket takes it now
    void process_input();
    bool find_head();
    void dispatch();
    // Carries out what decide() said, with the entry the store (or a replay) gave.
    // Inline in dispatch(); carry_out_outlined() for the replay's callers.
    void carry_out(cache::Verdict verdict, cache::EntryRef entry, Seconds now);
    void carry_out_outlined(cache::Verdict verdict, cache::EntryRef entry, Seconds now);
    // --mode replay (server/replay_dispatch.cpp): answered from the snapshot, after the
    // answer's latency; an unmatched request gets replay_miss().
    void dispatch_replay();
    void replay_miss();
    void answer_replayed(cache::Verdict verdict, cache::EntryRef entry, Seconds now);
    void on_delay_over();
    // The key a replay matches the request by, into key_: its route's key or the plain one
    // for any method, and its body's digest when it has one. False: no key.
    bool build_replay_key();
    // What the recorder keeps of this request, when it is recorded (record mode, or a
    // replay's forwarded miss); null otherwise.
    replay::RecordedRequestRef recorded_request();
    // Whether the request's body is read to its end before dispatch (keyed on it): record,
    // replay, or a route's body_key (server/body_keying.cpp).
    bool keys_body() const noexcept;
    // Appends the held body's part to key_ as its route's body_key says; false: no key.
    bool append_body_key();
    // A hit of a JSON-RPC route: the stored answer with this caller's id (rpc_id_).
    void serve_rpc_answer(const cache::EntryRef& entry, CachePhase phase);
    // The id of the JSON-RPC call being answered (its JSON text); empty: not one.
    std::string rpc_id_;
    // --- a JSON-RPC batch, answered call by call (server/rpc_batch_dispatch.cpp) ---
    // When append_body_key finds a batch (proxy mode; parse_.rpc_batch), the request has no
    // key of its own, so decide() passes it, and fetch_alone() hands it to answer_rpc_batch().
    std::unique_ptr<RpcBatchState> rpc_batch_state_;  // made on the first batch
    // Keeps the batch's calls for answer_rpc_batch (from append_body_key).
    void hold_rpc_batch(json::RpcRequest request);
    void answer_rpc_batch(cache::Forward forward);
    // Whether the store answers call `i` with a fresh entry, as decide() would for the call
    // alone (its key built, its entry and id span kept in rpc_batch_state_).
    bool take_stored_answer(std::size_t i, const cache::RequestTraits& traits, Seconds now);
    void reply_from_store();
    void forward_missing_calls(cache::Forward forward);
    // Stores each of the origin's answers under its call's key, as the head's verdict
    // allows; true when any was stored.
    bool store_batch_answers(const proxy::FillHead& head, std::span<const json::RpcAnswer> answers,
                             const json::AnswerMatch& match);
    // The reply when only notifications went to the origin and it took them (a 2xx).
    void reply_after_notifications(const Collected& response, bool keep_alive);
    // Relays a collected response (head and body) as the origin sent it.
    void relay_collected(const Collected& response, bool keep_alive);
    // A 502 or 504 naming why the origin gave no response to collect.
    void send_collected_failure(const Collected& response, bool keep_alive);
    // Writes a batch reply: `head` is its status line and fields, without framing.
    void write_batch_reply(std::string head, std::string_view body, const ResponseTail& tail);
    void send_json_status(int status, std::string_view reason_phrase, std::string body,
                          cache::Forward forward);
    // The facts decide() needs; builds key_ (and fill_key_), and directives_ when the
    // request has cache directives (traits.directives then points to it).
    cache::RequestTraits request_traits();
    // request_traits() for a request that matched a route (route_): its rules as facts.
    void routed_traits(cache::RequestTraits& traits);
    // The origin request for this request, with its route's response rules copied in.
    proxy::OriginRequest origin_request();
    void key_built(cache::RequestTraits& traits);
    // The request's variant of the URL whose vary marker the store held for key_.
    cache::EntryRef look_up_variant(const cache::Entry& marker, Seconds now, bool& vary_miss);
    bool head_only() const noexcept { return request_.method == http::Method::head; }
    // The Connection field of this response; a draining worker closes the connection.
    ConnectionField connection_field_for_response();
    void serve_hit(const cache::EntryRef& entry, CachePhase phase);
    void refresh_in_background(const cache::EntryRef& entry);
    void write_derived(std::string head, int status, const cache::EntryRef& entry,
                       std::uint64_t offset, std::uint64_t length, Seconds now);
    void send_status(int status, std::string_view reason_phrase, std::string_view detail,
                     cache::Forward forward);
    // `stale`: the stored response the leader revalidates, or null.
    void fetch_coalesced(cache::Forward forward, cache::EntryRef stale);
    void fetch_alone(cache::Forward forward, bool keyed);
    // `stale`: a stored response the leader's request revalidates (validators added).
    void start_stream(ResponseStream::Role role, proxy::FillRef fill, proxy::LeaderPermit&& permit,
                      cache::Forward forward, const cache::Entry* stale);
    // What a stream of this request is told of its client; copies the request for the
    // access log (which writes the line as the response ends, when buffer_ has moved on).
    ResponseStream::ClientInfo stream_client(cache::Forward forward);
    void reject_request(int status, std::string_view reason);  // 400, 431, 501 or 505, then close
    // The access log's view of the request being dispatched: views into buffer_ (valid in
    // dispatch() only), the user agent and referer found among its fields.
    LoggedRequest logged_request() const noexcept;
    // The line of a request answered at once (a hit, a response derived from one, cachet's
    // own error or refusal). Out of line: with the log off, the hit path only tests for one.
    [[gnu::noinline]] void log_answer(AccessLog& log, const LoggedAnswer& answer) noexcept;
    bool flush_hits();  // false when the connection had to close
    // Closes once what is queued has been written (a request that ends the connection).
    void close_after_writes() noexcept {
        if (closing_ == Closing::no) closing_ = Closing::after_writes;
    }
    void update_reading();
    void finish_if_closing();
    void handle_closed();

    int on_url(const char* at, std::size_t size);
    int on_header_field(const char* at, std::size_t size);
    int on_header_value(const char* at, std::size_t size);
    // Records why the request is refused (with `status`) and returns llhttp's error value.
    int refuse(std::string_view reason, int status = 400) noexcept;
    int on_headers_complete();
    int on_body(const char* at, std::size_t size);
    int on_message_complete();
    static const llhttp_settings_t& parser_settings();
    friend struct ParserCallbacks;

    Worker& worker_;
    uv_tcp_t tcp_;
    std::unique_ptr<tls::Channel> tls_;
    AnswerDelay tls_resume_;  // resume_tls_later()'s turn of the loop: made when first needed
    llhttp_t parser_;
    int open_handles_ = 0;
    Closing closing_ = Closing::no;
    bool peer_closed_ = false;
    bool reading_ = false;
    bool body_paused_ = false;  // the origin has a backlog of our request body
    std::string client_ip_;
    Millis last_activity_ = 0;
    Millis head_started_ = 0;         // when the bytes of an incomplete head began; 0: none
    Millis last_write_progress_ = 0;  // a queued write last completed (or the first was queued)

    // Read buffer: bytes [begin_, end_) are received and not yet parsed.
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::size_t scan_from_ = 0;  // where the search for the head's end resumes

    // The request being parsed (views into buffer_).
    http::RequestHead request_;
    RequestState parse_;

    // Per-request facts kept here to be reused, not rebuilt for each request: the request's
    // cache directives (when it has any) and what a conditional or Range request makes of
    // the entry (cache/derivation.hpp); valid during dispatch() only.
    cache::RequestFacts directives_;
    cache::Derivation derivation_;
    cache::KeyBuffer key_;
    // The request's variant key, when its URL varies: 8 KiB, so made on a connection's first
    // request for such a URL and reused after (not one allocation per request).
    std::unique_ptr<cache::VariantKeyBuffer> variant_key_;
    // What a miss coalesces under and its fill is keyed by: key_, or the variant key when
    // the URL's marker named the fields (views into key_ or *variant_key_).
    std::string_view fill_key_;
    std::uint64_t fill_hash_ = 0;
    // The route the request matched (cache/route.hpp), or null: chosen once, in
    // request_traits(). It points into the worker's Config snapshot, so it is read during
    // dispatch() only; what outlives that (the origin request) copies the rules.
    const cache::Route* route_ = nullptr;
    // A hit of key_, for the worker's top keys (admin/top_keys.hpp): one in about 16 is
    // recorded, the others cost a decrement and a test.
    void sample_hit() noexcept;
    // The counter slot of route_ (admin/route_labels.hpp), during dispatch() only.
    std::uint8_t route_slot() const noexcept { return route_slot_; }
    std::uint8_t route_slot_ = admin::kNoRouteSlot;  // set with route_
    // Buffers for a route's key (query rules, keyed fields): made on the connection's first
    // such request and reused after.
    std::unique_ptr<cache::RouteKeyScratch> route_scratch_;
    ResponseStream stream_;
    // The streamed request's fields for its access log line, copied as the stream starts
    // (the read buffer moves on meanwhile): made on the connection's first logged stream.
    std::unique_ptr<LoggedRequestCopy> streamed_request_;
    // A request held to its end, its body keyed (record, replay): made on the first.
    std::unique_ptr<HeldRequest> held_;
    // A replayed answer waiting out its latency: what it will carry out then. Reading
    // stops meanwhile, so request_'s views into the buffer stay valid.
    AnswerDelay delay_;
    cache::Verdict delayed_verdict_;
    cache::EntryRef delayed_entry_;
    // --replay-date now: the Date of the answer being written (into date_text_), else empty.
    std::string_view answer_date_;
    http::HttpDateText date_text_{};
    HitBatch* batch_ = nullptr;  // hits of this read, not yet written
    HitBatch* free_batches_ = nullptr;
    unsigned writes_in_flight_ = 0;
};

}  // namespace cachet::server
