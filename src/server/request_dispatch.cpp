// How a client connection answers one parsed request: it gathers the facts (the key, what
// the store holds, what a precondition or Range makes of it), asks cache::decide() what to
// do, and does it: a hit or a response derived from one, written from the entry; a 504 for
// only-if-cached; or a fetch, coalesced with other misses or alone.
// The hit path here makes no allocation: one key build, one lookup, one batched write.
#include <string>

#include "cache/decision.hpp"
#include "cache/derivation.hpp"
#include "cache/derived_response.hpp"
#include "cache/store.hpp"
#include "proxy/origin_request.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {

// Once key_ is built (or not): the request's directives when it has any, and the key a
// miss coalesces under (until a vary marker names a variant's).
[[gnu::always_inline]] inline void ClientConnection::key_built(cache::RequestTraits& traits) {
    if (traits.keyed && parse_.cache_directives) {
        directives_ = cache::request_facts(request_.method, request_.header_span());
        traits.directives = &directives_;
    }
    fill_key_ = key_.view();
    fill_hash_ = key_.hash;
}

// Inline: called once per request, from dispatch() only, on the hit path (where a request
// that matches no route costs the test of an empty vector, or the walk of the routes).
[[gnu::always_inline]] inline cache::RequestTraits ClientConnection::request_traits() {
    cache::RequestTraits traits;
    traits.method = request_.method;
    traits.conditional = request_.conditional;
    traits.range = request_.range;
    // The route is chosen once, before the key: its cache_key rules change the key. No
    // routes (the default): one test of an empty vector.
    const std::vector<cache::Route>& routes = worker_.config().routes;
    route_ = nullptr;
    route_slot_ = admin::kNoRouteSlot;
    if (!routes.empty()) [[unlikely]] {
        route_ = cache::match_route(routes, request_.host, request_.target);
        if (route_) route_slot_ = route_->counter_slot;
        // A route that rules only its responses (TTLs, Set-Cookie) keys and decides the
        // request as without one; origin_request() copies its rules.
        if (route_ && route_->rules_request) {
            routed_traits(traits);
            return traits;  // one object returned on every path: built in the caller's frame
        }
    }
    traits.keyed =
        http::is_cacheable(request_.method) && !request_.has_body &&
        cache::build_key(key_, request_.method, request_.host, request_.target).has_value();
    key_built(traits);
    return traits;
}

inline void ClientConnection::sample_hit() noexcept {
    admin::TopKeys& top = worker_.top_keys();
    if (top.sample()) [[unlikely]]
        top.record(key_.view(), key_.hash);
}

// Out of line: the hit path of a request without a route does not carry it.
[[gnu::noinline]] void ClientConnection::routed_traits(cache::RequestTraits& traits) {
    const cache::RouteRules& rules = route_->rules;
    traits.bypass = rules.bypass;
    traits.ignore_no_cache = rules.ignore_no_cache;
    // A bypass route's request has no key: it is never looked up, and its fill not stored.
    // A request held to be keyed on its body (body_key) is keyed, and decided as a GET of
    // that key: its answer is looked up, coalesced and stored like one.
    const bool body_keyed = parse_.held && rules.body_key.kind != cache::BodyKeyKind::none;
    if (body_keyed) traits.method = http::Method::get;
    const bool keyable =
        (body_keyed || (http::is_cacheable(request_.method) && !request_.has_body)) &&
        !rules.bypass;
    if (keyable && rules.key.changes_key()) {
        if (!route_scratch_) route_scratch_ = std::make_unique<cache::RouteKeyScratch>();
        traits.keyed = cache::build_route_key(key_, *route_scratch_, request_.method, request_.host,
                                              request_.target, rules.key, request_.header_span())
                           .has_value();
    } else {
        traits.keyed =
            keyable &&
            cache::build_key(key_, request_.method, request_.host, request_.target).has_value();
    }
    if (traits.keyed && body_keyed) traits.keyed = append_body_key();
    key_built(traits);
}

proxy::OriginRequest ClientConnection::origin_request() {
    const Config& config = worker_.config();
    const std::uint16_t origin = route_ ? route_->origin_index : config.default_origin;
    auto request = proxy::build_origin_request(
        request_, client_ip_, config.origins[origin].servers.front(), worker_.clock().now());
    request.origin = origin;
    if (route_) request.rules = route_->rules.response;  // a copy: the fetch may outlive a reload
    request.body_keyed =
        parse_.held && route_ && route_->rules.body_key.kind != cache::BodyKeyKind::none;
    if (config.mode != Mode::proxy) [[unlikely]]
        request.recorded = recorded_request();
    return request;
}

void ClientConnection::dispatch() {
    if (worker_.config().mode == Mode::replay) [[unlikely]]
        return dispatch_replay();
    const Seconds now = worker_.clock().now();
    const cache::RequestTraits traits = request_traits();
    cache::Lookup found;
    cache::EntryRef entry;
    if (traits.keyed) {
        entry = worker_.runtime().store.lookup(key_.view(), key_.hash, now);
        if (entry && entry->is_vary_marker()) entry = look_up_variant(*entry, now, found.vary_miss);
        found.entry = entry.get();
    }
    if (entry && (traits.conditional || traits.range)) {
        derivation_ = cache::derive(request_.method, request_.header_span(), traits.conditional,
                                    traits.range, *entry, now);
        found.derived = &derivation_;
    }
    carry_out(cache::decide(traits, found, now), std::move(entry), now);
}

void ClientConnection::carry_out_outlined(cache::Verdict verdict, cache::EntryRef entry,
                                          Seconds now) {
    carry_out(verdict, std::move(entry), now);
}

[[gnu::always_inline]] inline void ClientConnection::carry_out(cache::Verdict verdict,
                                                               cache::EntryRef entry, Seconds now) {
    const cache::Derivation* derived = &derivation_;
    using cache::Decision;
    switch (verdict.decision) {
    case Decision::serve_hit: return serve_hit(entry, CachePhase::hit);
    case Decision::serve_stale: return serve_hit(entry, CachePhase::stale_hit);
    case Decision::serve_stale_and_refresh:
        refresh_in_background(entry);
        return serve_hit(entry, CachePhase::stale_hit);
    case Decision::not_modified:
        return write_derived(cache::not_modified_head(derived->stored_head), 304, entry, 0, 0, now);
    case Decision::range_from_entry: {
        const cache::RangeSelection& range = derived->range;
        const std::uint64_t length = entry->body().size();
        return write_derived(
            cache::partial_content_head(derived->stored_head, range.first, range.last, length), 206,
            entry, range.first, head_only() ? 0 : range.last - range.first + 1, now);
    }
    case Decision::partial_from_entry: {
        // The stored Content-Range names the bytes the entry holds; the range lies inside.
        const cache::ContentRange& stored = *derived->stored_range;
        const cache::RangeSelection& range = *derived->inside_partial;
        return write_derived(cache::partial_content_head(derived->stored_head, range.first,
                                                         range.last, stored.complete_length),
                             206, entry, range.first - stored.first, range.last - range.first + 1,
                             now);
    }
    case Decision::unsatisfiable_range:
        return write_derived(
            cache::range_not_satisfiable_head(derived->stored_head, entry->body().size()), 416,
            entry, 0, 0, now);
    case Decision::only_if_cached_504:
        return send_status(504, "Gateway Timeout", "only-if-cached: no usable stored response",
                           verdict.forward);
    case Decision::revalidate: return fetch_coalesced(verdict.forward, std::move(entry));
    case Decision::coalesce: return fetch_coalesced(verdict.forward, {});
    case Decision::fetch_alone: return fetch_alone(verdict.forward, /*keyed=*/true);
    case Decision::pass: return fetch_alone(verdict.forward, /*keyed=*/false);
    }
}

cache::EntryRef ClientConnection::look_up_variant(const cache::Entry& marker, Seconds now,
                                                  bool& vary_miss) {
    // RFC 9111 §4.1: the URL's responses vary; the marker names the fields that select
    // this request's variant. A response without Vary never takes this branch.
    if (!variant_key_) variant_key_ = std::make_unique<cache::VariantKeyBuffer>();
    auto variant = cache::lookup_variant(worker_.runtime().store, marker, *variant_key_,
                                         key_.view(), request_.header_span(), now);
    vary_miss = !variant.entry;  // RFC 9211 §2.2: fwd=vary-miss
    if (variant.outcome == cache::VaryKey::built) {
        // Misses coalesce per variant once the URL's Vary names are known: requests for
        // another variant do not queue behind this one only to fetch alone.
        fill_key_ = variant_key_->view();
        fill_hash_ = variant_key_->hash;
    }
    return std::move(variant.entry);
}

void ClientConnection::refresh_in_background(const cache::EntryRef& entry) {
    // stale-while-revalidate (RFC 5861 §3): one revalidation per key, through the in-flight
    // table, with no client attached; its result replaces the entry.
    Worker& worker = worker_;
    auto joined = worker.runtime().inflight.join(fill_key_, fill_hash_, worker.index());
    if (joined.role != proxy::InflightTable::Role::leader) return;
    joined.permit->set_stale(entry);
    auto request = origin_request();
    if (entry->stale_rules().has_validators) proxy::add_validators(request, entry->head().text());
    worker.origins().start(std::move(request), std::move(joined.permit));
}

ConnectionField ClientConnection::connection_field_for_response() {
    if (worker_.draining()) request_.keep_alive = false;
    return connection_field(request_.keep_alive, request_.version_minor == 0);
}

void ClientConnection::serve_hit(const cache::EntryRef& entry, CachePhase phase) {
    if (!rpc_id_.empty()) [[unlikely]]
        return serve_rpc_answer(entry, phase);
    const admin::CacheStatus status =
        phase == CachePhase::hit ? admin::CacheStatus::hit : admin::CacheStatus::stale;
    worker_.counters().count(status, route_slot());
    sample_hit();
    if (AccessLog* log = worker_.access_log()) [[unlikely]] {
        log_answer(*log, {.status = entry->status(),
                          .body_bytes = head_only() ? 0 : entry->body().size(),
                          .cache = status});
    }
    ResponseTail tail;
    tail.phase = phase;
    tail.date = answer_date_;
    tail.connection = connection_field_for_response();
    tail.age = entry->age(worker_.clock().now());
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!batch_) {
            batch_ = free_batches_ ? std::exchange(free_batches_, free_batches_->next_free)
                                   : new HitBatch;
            batch_->owner = this;
            batch_->next_free = nullptr;
        }
        if (batch_->add(entry, tail, head_only())) return;
        if (!flush_hits()) return;  // full: send it and start another (or the connection closed)
    }
}

void ClientConnection::write_derived(std::string head, int status, const cache::EntryRef& entry,
                                     std::uint64_t offset, std::uint64_t length, Seconds now) {
    worker_.counters().count(admin::CacheStatus::hit, route_slot());
    sample_hit();
    if (AccessLog* log = worker_.access_log()) [[unlikely]] {
        log_answer(*log,
                   {.status = status, .body_bytes = length, .cache = admin::CacheStatus::hit});
    }
    ResponseTail tail;
    tail.phase = CachePhase::hit;
    tail.date = answer_date_;
    tail.connection = connection_field_for_response();
    tail.age = entry->age(now);
    append_tail(head, tail);
    std::vector<proxy::Fill::Slice> body;
    if (length > 0) {
        body.push_back({entry->body().data() + offset, static_cast<std::size_t>(length)});
    }
    write_slices(std::move(head), body, {}, {}, entry);
}

void ClientConnection::send_status(int status, std::string_view reason_phrase,
                                   std::string_view detail, cache::Forward forward) {
    worker_.counters().count(admin::CacheStatus::error, route_slot());
    if (AccessLog* log = worker_.access_log()) [[unlikely]] {
        log_answer(*log, {.status = status,
                          .body_bytes = detail.size() + 1,
                          .cache = admin::CacheStatus::error});
    }
    std::string out =
        "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase) + "\r\n";
    out +=
        "Content-Type: text/plain\r\nContent-Length: " + std::to_string(detail.size() + 1) + "\r\n";
    ResponseTail tail;
    tail.phase = CachePhase::error;
    tail.forward = forward;
    tail.detail = detail;
    tail.connection = connection_field_for_response();
    append_tail(out, tail);
    out.append(detail).append("\n");
    write_owned(std::move(out));
    if (!request_.keep_alive) close_after_writes();
}

void ClientConnection::fetch_coalesced(cache::Forward forward, cache::EntryRef stale) {
    // A JSON-RPC call's answer carries its caller's id: waiters would get the leader's.
    if (!rpc_id_.empty()) return fetch_alone(forward, /*keyed=*/true);
    Worker& worker = worker_;
    auto joined = worker.runtime().inflight.join(fill_key_, fill_hash_, worker.index());
    if (joined.role == proxy::InflightTable::Role::alone) {
        return fetch_alone(forward, /*keyed=*/true);  // past the key's waiter cap
    }
    // Only the leader's fetch revalidates; a waiter takes whatever the leader gets.
    const bool leads = joined.role == proxy::InflightTable::Role::leader;
    if (!leads) admin::bump(worker.counters().coalesced_waiters);
    if (stale && leads) joined.permit->set_stale(stale);
    start_stream(joined.role, std::move(joined.fill), std::move(joined.permit), forward,
                 leads ? stale.get() : nullptr);
}

void ClientConnection::fetch_alone(cache::Forward forward, bool keyed) {
    // Not coalesced. Keyed: what comes back may be stored (a Range, a key past its waiter
    // cap). Not keyed: other methods, preconditions, a HEAD or a no-store request.
    // A JSON-RPC batch has no key of its own: its calls have theirs.
    if (parse_.rpc_batch) [[unlikely]]
        return answer_rpc_batch(forward);
    Worker& worker = worker_;
    auto fill = proxy::Fill::create(keyed ? std::string(fill_key_) : std::string(), fill_hash_,
                                    static_cast<unsigned>(worker.runtime().workers.size()),
                                    worker.index(), worker.runtime(), false);
    auto permit = proxy::LeaderPermit::unshared(fill);
    start_stream(ResponseStream::Role::alone, std::move(fill), std::move(permit), forward, nullptr);
}

ResponseStream::ClientInfo ClientConnection::stream_client(cache::Forward forward) {
    if (worker_.access_log() != nullptr) [[unlikely]] {
        // The line is written as the response ends, when buffer_ has moved on.
        if (!streamed_request_) streamed_request_ = std::make_unique<LoggedRequestCopy>();
        streamed_request_->assign(logged_request());
    }
    ResponseStream::ClientInfo info;
    info.http10 = request_.version_minor == 0;
    info.keep_alive = request_.keep_alive && !worker_.draining();
    info.head_request = head_only();
    info.forward = forward;
    info.route_slot = route_slot();
    return info;
}

void ClientConnection::start_stream(ResponseStream::Role role, proxy::FillRef fill,
                                    proxy::LeaderPermit&& permit, cache::Forward forward,
                                    const cache::Entry* stale) {
    if (!flush_hits()) return;  // earlier hits go out first
    const ResponseStream::ClientInfo info = stream_client(forward);
    auto request = origin_request();
    if (stale && stale->stale_rules().has_validators) {
        proxy::add_validators(request, stale->head().text());
    }
    stream_.start(role, std::move(fill), std::move(permit), std::move(request), info);
    if (parse_.held && stream_.active()) {
        // Held to be keyed, read to its end: the whole body goes now.
        const std::string_view body = held_->body();
        stream_.send_body(body.data(), body.size());
        stream_.end_body();
    }
}

}  // namespace cachet::server
