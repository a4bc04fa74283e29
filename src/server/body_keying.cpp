// How a client connection keys a request on its body (cache/route.hpp's body_key; record and
// replay key every body): the raw bytes, their canonical JSON form, or a JSON-RPC call's
// method and params, as a digest after the request's key (cache/body_key.hpp). A body that
// is not what its route says (invalid JSON, not a JSON-RPC call or batch) is keyed on its
// bytes and counted. A JSON-RPC call's answer is served with the caller's id; a batch is
// answered call by call (rpc_batch_dispatch.cpp).
#include "cache/body_key.hpp"
#include "json/canonical.hpp"
#include "json/json_rpc.hpp"
#include "json/rpc_response.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {
namespace {

bool body_method(http::Method method) noexcept {
    return method == http::Method::post || method == http::Method::put ||
           method == http::Method::patch || method == http::Method::query;
}

}  // namespace

bool ClientConnection::keys_body() const noexcept {
    const Config& config = worker_.config();
    // Record and replay key every request on its body, so the recorded answer to one POST is
    // never given to another.
    if (config.mode != Mode::proxy) return true;
    if (config.routes.empty() || !body_method(request_.method)) return false;
    const cache::Route* route = cache::match_route(config.routes, request_.host, request_.target);
    return route && route->rules.body_key.kind != cache::BodyKeyKind::none;
}

bool ClientConnection::append_body_key() {
    rpc_id_.clear();
    const std::string_view body = held_->body();
    const cache::BodyKeyRules* rules = route_ ? &route_->rules.body_key : nullptr;
    const cache::BodyKeyKind kind = rules ? rules->kind : cache::BodyKeyKind::none;
    if (kind == cache::BodyKeyKind::json || kind == cache::BodyKeyKind::json_rpc) {
        std::string& canonical = worker_.body_key_scratch();
        canonical.clear();
        bool understood = false;
        if (kind == cache::BodyKeyKind::json) {
            understood =
                json::canonical_json(body, rules->ignore_pointers, canonical, worker_.body_parser())
                    .has_value();
        } else {
            auto call = json::parse_rpc(body, worker_.body_parser(), rules->ignore_pointers);
            // A batch, in proxy mode, is answered call by call (rpc_batch_dispatch.cpp): it
            // has no key of its own (false), each call has one after key_'s request part.
            // Record and replay key it whole, on its bytes.
            if (call && call->batch && worker_.config().mode == Mode::proxy) {
                hold_rpc_batch(*std::move(call));
                return false;
            }
            understood = call && !call->batch && !call->calls.front().notification();
            if (understood) {
                json::append_call_key(call->calls.front(), canonical);
                rpc_id_ = std::string(call->calls.front().id);
            }
        }
        if (understood) return cache::append_body_digest(key_, canonical).has_value();
        admin::bump(worker_.counters().body_key_fallbacks);
    }
    return cache::append_body_digest(key_, body).has_value();
}

void ClientConnection::serve_rpc_answer(const cache::EntryRef& entry, CachePhase phase) {
    // The stored answer carries the id of the call that fetched it; this caller's goes in.
    const std::string_view body = entry->body();
    auto id = json::locate_response_id(body, worker_.body_parser());
    std::string answer;
    if (id)
        json::splice_id(body, *id, rpc_id_, answer);
    else
        answer = std::string(body);  // not a JSON-RPC response: as stored
    const admin::CacheStatus status =
        phase == CachePhase::hit ? admin::CacheStatus::hit : admin::CacheStatus::stale;
    worker_.counters().count(status, route_slot());
    if (AccessLog* log = worker_.access_log()) [[unlikely]] {
        log_answer(*log, {.status = entry->status(),
                          .body_bytes = head_only() ? 0 : answer.size(),
                          .cache = status});
    }
    std::string out;
    const std::string head = entry->head().text();
    // The stored Content-Length is the stored body's: the answer's own replaces it.
    for (std::size_t at = 0; at < head.size();) {
        const std::size_t end = head.find("\r\n", at);
        const std::size_t next = end == std::string::npos ? head.size() : end + 2;
        const std::string_view line(head.data() + at, next - at);
        if (!(line.size() > 15 && http::iequals(line.substr(0, 15), "content-length:")))
            out += line;
        at = next;
    }
    out += "Content-Length: " + std::to_string(answer.size()) + "\r\n";
    ResponseTail tail;
    tail.phase = phase;
    tail.date = answer_date_;
    tail.connection = connection_field_for_response();
    tail.age = entry->age(worker_.clock().now());
    append_tail(out, tail);
    if (!head_only()) out += answer;
    write_owned(std::move(out));
}

}  // namespace cachet::server
