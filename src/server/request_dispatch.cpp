// How a client connection answers one parsed request: from the store (a hit, a 304/206/416
// derived from a fresh entry, a stale entry the request or its directives allow), or
// through a fill (leading a fetch, waiting on another's, or alone), in that order.
// The hit path here makes no allocation: one key build, one lookup, one batched write.
#include <algorithm>
#include <string>

#include "cache/conditional.hpp"
#include "cache/derived_response.hpp"
#include "cache/partial_content.hpp"
#include "cache/policy.hpp"
#include "cache/range.hpp"
#include "cache/stale_use.hpp"
#include "cache/store.hpp"
#include "cache/validators.hpp"
#include "proxy/origin_request.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {
namespace {

bool is_cacheable_method(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

void ClientConnection::dispatch() {
    Worker& worker = worker_;
    Seconds now = worker.clock().now();
    bool head_only = request_.method == "HEAD";
    bool may_lookup =
        is_cacheable_method(request_.method) && !request_.has_body &&
        cache::build_key(key_, request_.method, request_.host, request_.target).has_value();
    // Preconditions are answered from a fresh entry, but forwarded untouched (and their
    // responses not stored) when the origin must answer them. A Range the store cannot
    // answer goes to the origin alone, never coalesced (its 206 is no answer for a plain
    // GET), and a 206 that comes back may be stored as a partial entry (RFC 9111 §3.3).
    bool may_store = may_lookup && !request_.conditional;
    bool request_no_store = false;
    cache::EntryRef stale;
    ResponseStream::Role role = ResponseStream::Role::alone;
    proxy::FillRef fill;
    proxy::LeaderPermit permit;  // the origin side's claim on `fill`, unless a waiter
    vary_miss_ = false;
    fill_key_ = key_.view();
    fill_hash_ = key_.hash;
    if (may_lookup) {
        cache::RequestFacts facts;
        if (cache_directives_) {
            facts = cache::request_facts(request_.method, request_.header_span());
            request_no_store = facts.cache_control.no_store;
        }
        cache::EntryRef entry = worker.runtime().store.lookup(key_.view(), key_.hash, now);
        if (entry && entry->is_vary_marker()) {
            // RFC 9111 §4.1: the URL's responses vary; the marker names the fields that select
            // this request's variant. A response without Vary never takes this branch.
            if (!variant_key_) variant_key_ = std::make_unique<cache::VariantKeyBuffer>();
            auto variant = cache::lookup_variant(worker.runtime().store, *entry, *variant_key_,
                                                 key_.view(), request_.header_span(), now);
            entry = std::move(variant.entry);
            vary_miss_ = !entry;  // RFC 9211 §2.2: fwd=vary-miss
            if (variant.outcome == cache::VaryKey::built) {
                // Misses coalesce per variant once the URL's Vary names are known: requests
                // for another variant do not queue behind this one only to fetch alone.
                fill_key_ = variant_key_->view();
                fill_hash_ = variant_key_->hash;
            }
        }
        if (entry && entry->is_partial()) {
            // RFC 9111 §3.3: a partial entry answers a fresh Range inside its bytes and
            // nothing else; to any other request (a plain GET, a HEAD, a precondition, a
            // range outside it) it is as if nothing were stored, and a stale one is
            // refetched, never revalidated or served stale.
            if (request_.range && !request_.conditional && !head_only &&
                servable_now(*entry, facts, now) && serve_partial(entry, now)) {
                return;
            }
            entry.reset();
        }
        if (entry && servable_now(*entry, facts, now)) {
            bool plain = !request_.conditional && !request_.range;
            if (plain ? serve_hit(entry, head_only) : serve_derived(entry, head_only, now)) return;
        } else if (entry && may_store && !request_.range) {
            switch (cache::stale_use(cache_directives_ ? &facts : nullptr, *entry, now)) {
            case cache::StaleUse::serve: serve_hit(entry, head_only, true); return;
            case cache::StaleUse::serve_and_refresh:
                if (!head_only) refresh_in_background(entry);  // a HEAD cannot refresh a GET
                serve_hit(entry, head_only, true);
                return;
            case cache::StaleUse::revalidate:
            case cache::StaleUse::refetch:
                stale = std::move(entry);  // revalidated, or a stand-in if the origin fails
                break;
            }
        }
        if (cache_directives_ && facts.cache_control.only_if_cached) {
            // RFC 9111 §5.2.1.7: nothing stored may be used, and the origin must not be asked.
            send_status(504, "Gateway Timeout", "only-if-cached: no usable stored response");
            return;
        }
        if (may_store && !head_only && !request_no_store && !request_.range) {
            auto joined = worker.runtime().inflight.join(fill_key_, fill_hash_, worker.index());
            fill = std::move(joined.fill);
            permit = std::move(joined.permit);
            role = joined.role == proxy::InflightTable::Role::leader ? ResponseStream::Role::leader
                   : joined.role == proxy::InflightTable::Role::waiter
                       ? ResponseStream::Role::waiter
                       : ResponseStream::Role::alone;
        }
    }
    if (!fill) {
        // Not coalesced: a HEAD, a request that must not be stored, a Range or a key past
        // its waiter cap (a plain GET or a Range may still store what comes back), or an
        // uncacheable request (other methods, preconditions), passed through with no key.
        bool keyed = may_store && !head_only && !request_no_store;
        fill = proxy::Fill::create(keyed ? std::string(fill_key_) : std::string(), fill_hash_,
                                   static_cast<unsigned>(worker.runtime().workers.size()),
                                   worker.index(), worker.runtime(), false);
        permit = proxy::LeaderPermit::unshared(fill);
    }
    if (stale && role == ResponseStream::Role::leader) fill->set_stale(stale);
    start_stream(role, std::move(fill), std::move(permit),
                 stale && role == ResponseStream::Role::leader ? stale.get() : nullptr);
}

void ClientConnection::refresh_in_background(const cache::EntryRef& entry) {
    // stale-while-revalidate (RFC 5861 §3): one revalidation per key, through the in-flight
    // table, with no client attached; its result replaces the entry.
    Worker& worker = worker_;
    auto joined = worker.runtime().inflight.join(fill_key_, fill_hash_, worker.index());
    if (joined.role != proxy::InflightTable::Role::leader) return;
    joined.permit->set_stale(entry);
    auto request = proxy::build_origin_request(request_, client_ip_, worker.config().origin,
                                               worker.clock().now());
    if (entry->stale_rules().has_validators) proxy::add_validators(request, entry->head().text());
    worker.pool().start(std::move(request), std::move(joined.permit));
}

bool ClientConnection::servable_now(const cache::Entry& entry, const cache::RequestFacts& facts,
                                    Seconds now) {
    if (!cache_directives_) return entry.fresh(now);
    http::CacheControl stored;
    stored.must_revalidate = true;  // this version never serves stale
    return cache::servable(facts, stored, entry.age(now), entry.freshness().lifetime) ==
           cache::Servable::fresh;
}

HitBatch::Connection ClientConnection::connection_mode() {
    using Conn = HitBatch::Connection;
    if (!request_.keep_alive || worker_.draining()) {
        request_.keep_alive = false;
        return Conn::close;
    }
    return request_.version_minor == 0 ? Conn::keep_alive_explicit : Conn::keep_alive_default;
}

bool ClientConnection::serve_hit(const cache::EntryRef& entry, bool head_only, bool stale) {
    HitBatch::Connection connection = connection_mode();
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!batch_) {
            batch_ = free_batches_ ? std::exchange(free_batches_, free_batches_->next_free)
                                   : new HitBatch;
            batch_->owner = this;
            batch_->next_free = nullptr;
        }
        if (batch_->add(entry, entry->age(worker_.clock().now()), head_only, connection, stale))
            return true;
        if (!flush_hits()) return true;  // full: send it and start another
    }
    return false;
}

bool ClientConnection::serve_derived(const cache::EntryRef& entry, bool head_only, Seconds now) {
    // The stored head joined (shared + own lines): the validators and derived heads borrow it.
    const std::string stored_head = entry->head().text();
    auto validators = cache::stored_validators(stored_head, entry->freshness().response_time);
    auto headers = request_.header_span();
    switch (cache::evaluate_preconditions(request_.method, headers, validators,
                                          cache::Evaluator::cache, now)) {
    case cache::Precondition::not_modified:
        write_derived(cache::not_modified_head(stored_head), entry, 0, 0, now);
        return true;
    case cache::Precondition::proceed: break;
    case cache::Precondition::forward:              // If-Match, If-Unmodified-Since: the
    case cache::Precondition::precondition_failed:  // origin decides (RFC 9111 §4.3.2)
        return false;
    }
    std::uint64_t length = entry->body().size();
    auto range = cache::range_for_request(request_.method, headers, validators, length, now);
    switch (range.outcome) {
    case cache::RangeOutcome::none: return serve_hit(entry, head_only);
    case cache::RangeOutcome::single:
        write_derived(cache::partial_content_head(stored_head, range.first, range.last, length),
                      entry, range.first, head_only ? 0 : range.last - range.first + 1, now);
        return true;
    case cache::RangeOutcome::unsatisfiable:
        write_derived(cache::range_not_satisfiable_head(stored_head, length), entry, 0, 0, now);
        return true;
    case cache::RangeOutcome::multiple:
        return false;  // multipart/byteranges is the origin's to build
    }
    return false;
}

bool ClientConnection::serve_partial(const cache::EntryRef& entry, Seconds now) {
    // The stored head joined: its Content-Range names the bytes the entry holds.
    const std::string stored_head = entry->head().text();
    const auto stored = cache::content_range_of_head(stored_head);
    if (!stored) return false;
    const auto range = cache::range_within(request_.method, request_.header_span(), *stored);
    if (!range) return false;
    const std::uint64_t length = range->last - range->first + 1;
    write_derived(cache::partial_content_head(stored_head, range->first, range->last,
                                              stored->complete_length),
                  entry, range->first - stored->first, length, now);
    return true;
}

void ClientConnection::write_derived(std::string head, const cache::EntryRef& entry,
                                     std::uint64_t offset, std::uint64_t length, Seconds now) {
    HitBatch::Connection connection = connection_mode();
    head += "Age: " + std::to_string(entry->age(now)) + "\r\nCache-Status: cachet; hit\r\n";
    if (connection == HitBatch::Connection::close)
        head += "Connection: close\r\n";
    else if (connection == HitBatch::Connection::keep_alive_explicit)
        head += "Connection: keep-alive\r\n";
    head += "\r\n";
    std::vector<proxy::Fill::Slice> body;
    if (length > 0)
        body.push_back({entry->body().data() + offset, static_cast<std::size_t>(length)});
    write_slices(std::move(head), body, {}, {}, entry);
}

void ClientConnection::send_status(int status, std::string_view reason_phrase,
                                   std::string_view detail) {
    std::string out =
        "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase) + "\r\n";
    out +=
        "Content-Type: text/plain\r\nContent-Length: " + std::to_string(detail.size() + 1) + "\r\n";
    out += "Cache-Status: cachet; fwd=miss; detail=\"" + std::string(detail) + "\"\r\n";
    if (connection_mode() == HitBatch::Connection::close)
        out += "Connection: close\r\n";
    else if (request_.version_minor == 0)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    out.append(detail).append("\n");
    write_owned(std::move(out));
    if (!request_.keep_alive) close_after_writes_ = true;
}

void ClientConnection::start_stream(ResponseStream::Role role, proxy::FillRef fill,
                                    proxy::LeaderPermit&& permit, const cache::Entry* stale) {
    if (!flush_hits()) return;  // earlier hits go out first
    ResponseStream::ClientInfo info;
    info.http10 = request_.version_minor == 0;
    info.keep_alive = request_.keep_alive && !worker_.draining();
    info.head_request = request_.method == "HEAD";
    info.bypass = !is_cacheable_method(request_.method);
    info.vary_miss = vary_miss_;
    auto origin_request = proxy::build_origin_request(request_, client_ip_, worker_.config().origin,
                                                      worker_.clock().now());
    if (stale && stale->stale_rules().has_validators)
        proxy::add_validators(origin_request, stale->head().text());
    stream_.start(role, std::move(fill), std::move(permit), std::move(origin_request), info);
}

}  // namespace cachet::server
