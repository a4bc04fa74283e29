// How a client connection answers a JSON-RPC batch on a json_rpc route (proxy mode): call
// by call from the store where it can, with only the missing calls forwarded, as one batch,
// and the answers put back in the caller's order. json/rpc_batch.hpp plans and matches,
// json/rpc_batch_reply.hpp assembles; this file looks up, fetches and stores.
//
//   append_body_key (body_keying.cpp) finds a batch: hold_rpc_batch, the request unkeyed,
//   so decide() passes it and fetch_alone() calls answer_rpc_batch():
//     each call's key is the request's key and its call key's digest, as a single call's;
//     a fresh entry (decide()'s serve_hit, as the call alone would get) answers it
//     every call answered      -> reply_from_store(): a hit
//     two forwarded calls share an id (a pass) -> the body forwarded whole, nothing stored
//     else forward_missing_calls(): one POST of the missing calls, collected whole by the
//     connection's ResponseStream -> on_collected(): split, matched by id, each answer
//     stored under its call's key as the origin's head allows, the reply assembled.
// Anything the batch cannot be answered from (the origin failed, answered with another
// status, or not with a batch of responses) is relayed as the origin sent it, or a 502/504
// with a one-line reason: never a reply that mixes up answers.
#include <algorithm>
#include <cstring>
#include <string>

#include "cache/body_key.hpp"
#include "cache/store.hpp"
#include "http/head_fields.hpp"
#include "http/http_date.hpp"
#include "json/rpc_batch_reply.hpp"
#include "proxy/store_updates.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {
namespace {

// Any forwarded call expects an answer (else only notifications went to the origin).
bool awaits_answers(const RpcBatchState& batch) {
    const auto& calls = batch.request.calls;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (batch.plan.source[i] == json::CallSource::origin && !calls[i].notification())
            return true;
    }
    return false;
}

// The Content-Type of the first stored answer: a reply from the store carries it.
std::string stored_content_type(const RpcBatchState& batch) {
    for (const cache::EntryRef& entry : batch.entries) {
        if (!entry) continue;
        const std::string head = entry->head().text();  // a copy: the view below is into it
        if (auto type = http::find_field(head, "content-type")) return std::string(*type);
    }
    return "application/json";
}

// The oldest stored answer's age: the reply is no younger than any part of it.
Seconds stored_age(const RpcBatchState& batch, Seconds now) {
    Seconds age = -1;
    for (const cache::EntryRef& entry : batch.entries) {
        if (entry) age = std::max(age, entry->age(now));
    }
    return age;
}

// The head of a reply cachet puts together (no origin head to start from): its status
// line, Date (RFC 9110 §6.6.1: now) and, with a body, the stored answers' Content-Type.
std::string assembled_head(std::string_view status_line, const RpcBatchState& batch, bool with_body,
                           Seconds now) {
    const http::HttpDateText date = http::format_http_date(now);
    std::string head(status_line);
    head.append("\r\nDate: ").append(date.data(), date.size()).append("\r\n");
    if (with_body) head.append("Content-Type: ").append(stored_content_type(batch)).append("\r\n");
    return head;
}

}  // namespace

void ClientConnection::hold_rpc_batch(json::RpcRequest request) {
    if (!rpc_batch_state_) rpc_batch_state_ = std::make_unique<RpcBatchState>();
    RpcBatchState& batch = *rpc_batch_state_;
    batch.request = std::move(request);
    batch.request_key_size = key_.size;  // before any body part
    batch.route_slot = route_slot();
    parse_.rpc_batch = true;
}

void ClientConnection::answer_rpc_batch(cache::Forward forward) {
    parse_.rpc_batch = false;  // taken
    RpcBatchState& batch = *rpc_batch_state_;
    const Seconds now = worker_.clock().now();
    batch.reset(batch.request.calls.size());
    batch.forward = forward;
    // Each call is decided as the request would be for it alone: a GET of its key.
    cache::RequestTraits traits;
    traits.method = http::Method::get;
    traits.keyed = true;
    traits.conditional = request_.conditional;
    traits.range = request_.range;
    traits.ignore_no_cache = route_ && route_->rules.ignore_no_cache;
    if (parse_.cache_directives) {
        directives_ = cache::request_facts(request_.method, request_.header_span());
        traits.directives = &directives_;
    }
    batch.plan = json::batch_plan(
        batch.request.calls, [&](std::size_t i) { return take_stored_answer(i, traits, now); });
    if (batch.plan.pass) {
        // Answers to calls that share an id cannot be told apart: the batch goes as it came,
        // its answer is relayed, and nothing is stored (the fill has no key).
        batch.release();
        return fetch_alone(forward, /*keyed=*/false);
    }
    if (batch.plan.forward_body.empty()) return reply_from_store();
    if (traits.directives && traits.directives->cache_control.only_if_cached) {
        // RFC 9111 §5.2.1.7: the origin must not be asked, and some call has no answer.
        batch.release();
        return send_status(504, "Gateway Timeout",
                           "only-if-cached: no usable stored response for every call", forward);
    }
    forward_missing_calls(forward);
}

bool ClientConnection::take_stored_answer(std::size_t i, const cache::RequestTraits& traits,
                                          Seconds now) {
    RpcBatchState& batch = *rpc_batch_state_;
    std::string& call_key = worker_.body_key_scratch();
    call_key.clear();
    json::append_call_key(batch.request.calls[i], call_key);
    // The request's own key, then the call's part: the key a single call of it would have.
    cache::KeyBuffer key;
    std::memcpy(key.bytes.data(), key_.bytes.data(), batch.request_key_size);
    key.size = batch.request_key_size;
    if (!cache::append_body_digest(key, call_key)) return false;  // forwarded, not stored
    batch.keys[i].assign(key.view());
    batch.hashes[i] = key.hash;
    cache::EntryRef entry = worker_.runtime().store.lookup(key.view(), key.hash, now);
    // A marker (the answer varies) would need the variant's key: the origin answers it.
    if (!entry || entry->is_vary_marker()) return false;
    cache::Lookup found;
    found.entry = entry.get();
    if (cache::decide(traits, found, now).decision != cache::Decision::serve_hit) return false;
    // A stored body that is not a JSON-RPC response cannot carry this caller's id.
    auto id = json::locate_response_id(entry->body(), worker_.body_parser());
    if (!id) return false;
    batch.stored[i] = {entry->body(), *id};
    batch.entries[i] = std::move(entry);
    return true;
}

void ClientConnection::reply_from_store() {
    RpcBatchState& batch = *rpc_batch_state_;
    std::string body;
    // Never empty: a notification is never answered from the store, so one was looked up.
    json::batch_reply(batch.request.calls, batch.plan, batch.stored, {}, {}, body);
    worker_.counters().count(admin::CacheStatus::hit, route_slot());
    if (AccessLog* log = worker_.access_log()) [[unlikely]] {
        log_answer(*log,
                   {.status = 200, .body_bytes = body.size(), .cache = admin::CacheStatus::hit});
    }
    ResponseTail tail;
    tail.phase = CachePhase::hit;
    tail.connection = connection_field_for_response();
    tail.age = stored_age(batch, worker_.clock().now());
    write_batch_reply(assembled_head("HTTP/1.1 200 OK", batch, true, worker_.clock().now()), body,
                      tail);
    batch.release();
}

void ClientConnection::forward_missing_calls(cache::Forward forward) {
    if (!flush_hits()) return;  // earlier hits go out first
    RpcBatchState& batch = *rpc_batch_state_;
    ResponseStream::ClientInfo info = stream_client(forward);
    info.collected = true;
    auto request = origin_request();
    request.collected = true;  // judged as a keyed response: its answers may be stored
    proxy::set_body_length(request, batch.plan.forward_body.size());
    Worker& worker = worker_;
    // No key: the response as a whole is never stored, its answers are (on_collected).
    auto fill = proxy::Fill::create(std::string(), 0,
                                    static_cast<unsigned>(worker.runtime().workers.size()),
                                    worker.index(), worker.runtime(), false);
    auto permit = proxy::LeaderPermit::unshared(fill);
    stream_.start(ResponseStream::Role::alone, std::move(fill), std::move(permit),
                  std::move(request), info);
    if (stream_.active()) {
        stream_.send_body(batch.plan.forward_body.data(), batch.plan.forward_body.size());
        stream_.end_body();
    }
}

void ClientConnection::on_collected(const Collected& response, bool keep_alive) {
    RpcBatchState& batch = *rpc_batch_state_;
    if (!response.head) return send_collected_failure(response, keep_alive);
    const proxy::FillHead& head = *response.head;
    // Only notifications went: the origin owes them no answer, whatever its body says.
    if (!awaits_answers(batch) && head.status / 100 == 2)
        return reply_after_notifications(response, keep_alive);
    // Another status is the origin's to tell: a 401, a 503 are relayed as they are.
    if (head.status != 200) return relay_collected(response, keep_alive);
    auto answers = json::split_batch_response(response.body, worker_.body_parser());
    if (!answers) return relay_collected(response, keep_alive);  // not a batch of responses
    const auto& calls = batch.request.calls;
    const json::AnswerMatch match = json::match_answers(calls, batch.plan, *answers);
    const bool stored = store_batch_answers(head, *answers, match);
    std::string body;
    json::batch_reply(calls, batch.plan, batch.stored, *answers, match, body);
    ResponseTail tail;
    tail.phase = CachePhase::forwarded;
    tail.forward = batch.forward;
    tail.forward_status = head.origin_status;
    tail.stored = stored;
    if (stored)
        tail.ttl = std::max<Seconds>(0, head.freshness.lifetime - head.freshness.initial_age);
    else if (head.verdict != cache::NotStored::stored)
        tail.detail = cache::name(head.verdict);  // why not, as for a single call
    else if (head.varies)
        tail.detail = "varies: not stored per call";
    tail.connection = connection_field(keep_alive, request_.version_minor == 0);
    worker_.counters().count(admin::CacheStatus::miss, batch.route_slot);
    log_streamed({.status = head.status,
                  .body_bytes = body.size(),
                  .cache = admin::CacheStatus::miss,
                  .origin_us = response.origin_us,
                  .duration_us = response.duration_us});
    write_batch_reply(head.client_head, body, tail);
    batch.release();
}

void ClientConnection::reply_after_notifications(const Collected& response, bool keep_alive) {
    RpcBatchState& batch = *rpc_batch_state_;
    std::string body;
    const bool any = json::batch_reply(batch.request.calls, batch.plan, batch.stored, {}, {}, body);
    ResponseTail tail;
    tail.phase = CachePhase::forwarded;
    tail.forward = batch.forward;
    tail.forward_status = response.head->status;
    tail.connection = connection_field(keep_alive, request_.version_minor == 0);
    // The stored answers, or (a batch of notifications only) nothing: JSON-RPC returns none.
    std::string head = assembled_head(any ? "HTTP/1.1 200 OK" : "HTTP/1.1 204 No Content", batch,
                                      any, worker_.clock().now());
    worker_.counters().count(admin::CacheStatus::miss, batch.route_slot);
    log_streamed({.status = any ? 200 : 204,
                  .body_bytes = body.size(),
                  .cache = admin::CacheStatus::miss,
                  .origin_us = response.origin_us,
                  .duration_us = response.duration_us});
    if (any) {
        write_batch_reply(std::move(head), body, tail);
    } else {
        append_tail(head, tail);
        write_owned(std::move(head));
    }
    batch.release();
}

bool ClientConnection::store_batch_answers(const proxy::FillHead& head,
                                           std::span<const json::RpcAnswer> answers,
                                           const json::AnswerMatch& match) {
    // The usual policy judged the origin's response as a single call's would be (status,
    // Cache-Control, the route's rules). One that varies would need each call's variant
    // key: not stored.
    if (head.verdict != cache::NotStored::stored || head.varies) return false;
    RpcBatchState& batch = *rpc_batch_state_;
    const Seconds now = worker_.clock().now();
    const std::size_t max_size = worker_.config().max_object_size;
    bool any = false;
    for (std::size_t i = 0; i < match.answer.size(); ++i) {
        if (match.answer[i] == json::no_answer || batch.keys[i].empty()) continue;
        const std::string_view text = answers[match.answer[i]].text;
        if (text.size() > max_size) continue;
        // Stored with the id of the call that fetched it, as a single call's answer is.
        if (proxy::store_part(worker_.runtime().store, head, batch.keys[i], batch.hashes[i], text,
                              now))
            any = true;
    }
    return any;
}

void ClientConnection::relay_collected(const Collected& response, bool keep_alive) {
    RpcBatchState& batch = *rpc_batch_state_;
    const proxy::FillHead& head = *response.head;
    std::string out = head.client_head;
    if (head.bodyless) {
        if (!head.origin_content_length.empty())
            out += "Content-Length: " + head.origin_content_length + "\r\n";
    } else {
        out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    }
    ResponseTail tail;
    tail.phase = CachePhase::forwarded;
    tail.forward = batch.forward;
    tail.forward_status = head.origin_status;
    tail.detail = "not a batch of responses";  // so nothing of it is stored
    tail.connection = connection_field(keep_alive, request_.version_minor == 0);
    append_tail(out, tail);
    const std::size_t body_bytes = head.bodyless ? 0 : response.body.size();
    if (!head.bodyless) out += response.body;
    worker_.counters().count(admin::CacheStatus::miss, batch.route_slot);
    log_streamed({.status = head.status,
                  .body_bytes = body_bytes,
                  .cache = admin::CacheStatus::miss,
                  .origin_us = response.origin_us,
                  .duration_us = response.duration_us});
    write_owned(std::move(out));
    batch.release();
}

void ClientConnection::send_collected_failure(const Collected& response, bool keep_alive) {
    RpcBatchState& batch = *rpc_batch_state_;
    const std::string_view reason = response.failure;
    const int status = response.failure_status;
    std::string out =
        status == 504 ? "HTTP/1.1 504 Gateway Timeout\r\n" : "HTTP/1.1 502 Bad Gateway\r\n";
    out +=
        "Content-Type: text/plain\r\nContent-Length: " + std::to_string(reason.size() + 1) + "\r\n";
    ResponseTail tail;
    tail.phase = CachePhase::error;
    tail.forward = batch.forward;
    tail.detail = reason;
    tail.connection = connection_field(keep_alive, request_.version_minor == 0);
    append_tail(out, tail);
    out.append(reason).append("\n");
    worker_.counters().count(admin::CacheStatus::error, batch.route_slot);
    log_streamed({.status = status,
                  .body_bytes = reason.size() + 1,
                  .cache = admin::CacheStatus::error,
                  .duration_us = response.duration_us});
    write_owned(std::move(out));
    batch.release();
}

void ClientConnection::write_batch_reply(std::string head, std::string_view body,
                                         const ResponseTail& tail) {
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    append_tail(head, tail);
    head += body;
    write_owned(std::move(head));
}

}  // namespace cachet::server
