// What an origin response does to the store (proxy/store_updates.hpp): a complete storable
// response becomes an entry (inserted before the fill leaves the in-flight table, so a new
// miss finds one or the other); a 304 refreshes the stale entry it revalidated (RFC 9111
// §4.3.4); a stored entry can stand in for the origin's answer (revalidated, or
// stale-if-error); an unsafe method's success invalidates (RFC 9111 §4.4), and so does a
// HEAD response that disagrees with the stored GET response (RFC 9111 §4.3.5).
// All of it runs on the connection's worker, on the miss path: allocations are fine here.
#include "proxy/store_updates.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "cache/entry.hpp"
#include "cache/head_response.hpp"
#include "cache/invalidation.hpp"
#include "cache/key.hpp"
#include "cache/partial_content.hpp"
#include "cache/stale_use.hpp"
#include "cache/update_headers.hpp"
#include "cache/variants.hpp"
#include "cache/withheld_fields.hpp"
#include "http/head_fields.hpp"
#include "proxy/response_head.hpp"

namespace cachet::proxy {

namespace {

// RFC 9110 §15.3.7: a partial entry holds exactly the range its Content-Range names, so a
// 206 whose body came out another length is not stored.
bool holds_its_range(const FillHead& head, std::uint64_t body_size) {
    if (head.status != 206) return true;
    const auto range = cache::content_range_of_head(head.client_head);
    return range && cache::body_matches(*range, body_size);
}

// A copy of `old` with `update`'s fields (a 304's or an agreeing HEAD's, RFC 9111
// §4.3.4-§4.3.5) and the freshness they give, inserted when still usable.
struct Updated {
    cache::EntryRef entry;
    bool stored = false;
};

Updated store_updated(const FetchContext& context, const OriginRequest& request,
                      const cache::Entry& old, http::HeaderSpan update, Seconds now) {
    const cache::PolicyOptions policy = cache::with_rules(context.policy, request.rules);
    cache::UpdateOptions options;
    options.store_set_cookie = policy.store_set_cookie && !policy.strip_set_cookie;
    std::string head = cache::updated_head(old.head().text(), update, now, options);
    std::vector<http::HeaderView> fields(http::HeadFields(head).begin(),
                                         http::HeadFields(head).end());
    auto facts = cache::response_facts(old.status(), fields);
    if (!facts.date) facts.date = now;
    Seconds lifetime = cache::freshness_lifetime(facts, policy);
    Seconds initial_age = cache::corrected_initial_age(facts, request.request_time, now);

    cache::Entry::Spec spec;
    // The old entry's own key: for a variant, its variant key, not the URL's (the fill's).
    spec.key = old.key();
    spec.hash = old.hash();
    spec.head = head;
    spec.body_size = old.body().size();
    spec.status = old.status();
    spec.stale = stale_rules(facts, fields);
    spec.freshness = cache::Freshness{now, initial_age, lifetime,
                                      keep_until(now, now + lifetime - initial_age, spec.stale)};
    cache::EntryRef entry = cache::Entry::create(spec, context.store.shared_heads());
    if (!old.body().empty()) std::memcpy(entry->body_data(), old.body().data(), old.body().size());
    // A no-cache (or otherwise stale) response stays stored to be revalidated again.
    bool keep =
        lifetime > initial_age || cache::storable_when_stale(facts) == cache::NotStored::stored;
    bool stored = keep && cache::insert_response(context.store, entry, now);
    return {std::move(entry), stored};
}

}  // namespace

void invalidate_targets(cache::Store& store, const OriginRequest& request,
                        const OriginResponse& response) {
    // RFC 9111 §4.4: a non-error response to an unsafe method invalidates the target URI,
    // and Location / Content-Location on the same origin. Erasing a primary key also erases
    // a vary marker, which leaves that URL's variants unreachable (cache/variants.hpp): they
    // are never found again and leave through LRU or their keep_until.
    auto field = [&](std::string_view name) {
        for (const auto& f : response.headers) {
            if (http::iequals(f.name, name)) return f.value;
        }
        return std::string_view();
    };
    cache::UnsafeExchange exchange{request.method,  request.host,      request.target,
                                   response.status, field("location"), field("content-location")};
    cache::Invalidations targets;
    cache::KeyBuffer key;
    for (const auto& target : cache::invalidations(targets, exchange)) {
        if (cache::build_key(key, http::Method::get, target.host, target.target))
            store.erase(key.view(), key.hash);
    }
}

void check_stored_get(const FetchContext& context, const OriginRequest& request,
                      const OriginResponse& response, Seconds now) {
    // RFC 9111 §4.3.5: a 200 to HEAD whose validators or Content-Length disagree with the
    // stored GET response means that response no longer describes the resource; one that
    // agrees freshens it, as a 304 would.
    cache::KeyBuffer key;
    if (!cache::build_key(key, http::Method::get, request.host, request.target)) return;
    http::HeadFields request_fields(request.head);
    std::vector<http::HeaderView> fields(request_fields.begin(), request_fields.end());
    cache::EntryRef stored =
        cache::stored_get_response(context.store, key.view(), key.hash, fields, now);
    if (!stored) return;
    const std::string stored_head = stored->head().text();
    // A partial entry (cache/partial_content.hpp) holds a range: the HEAD's Content-Length
    // describes the complete representation, whose length its Content-Range names.
    std::uint64_t length = stored->body().size();
    if (stored->is_partial()) {
        const auto range = cache::content_range_of_head(stored_head);
        if (!range) {
            context.store.erase(stored->key(), stored->hash());
            return;
        }
        length = range->complete_length;
    }
    if (cache::compare_head_response(stored_head, length, response.headers) ==
        cache::HeadAgreement::differs) {
        context.store.erase(stored->key(), stored->hash());
        return;
    }
    store_updated(context, request, *stored, response.headers, now);
}

void refresh_stored(const FetchContext& context, const OriginRequest& request, LeaderPermit& permit,
                    const OriginResponse& response, Seconds now) {
    // RFC 9111 §4.3.4: the 304's fields update the stored response, which is then served.
    auto [entry, stored] = store_updated(context, request, *permit->stale(), response.headers, now);
    publish_stored(permit, request, entry, 304, {}, stored);
}

void publish_stored(LeaderPermit& permit, const OriginRequest& request, cache::EntryRef entry,
                    int origin_status, std::string_view detail, bool stored) {
    FillHead head;
    head.status = entry->status();
    const std::string stored_head = entry->head().text();
    for (const http::HeaderView& field : http::HeadFields(stored_head)) {
        if (http::iequals(field.name, "content-length")) continue;  // framing is per client
        head.client_head.append(field.name).append(": ").append(field.value).append("\r\n");
    }
    head.client_head.insert(0, stored_head.substr(0, stored_head.find("\r\n") + 2));
    std::uint64_t size = entry->body().size();
    head.bodyless = request.head_method;
    if (head.bodyless)
        head.origin_content_length = std::to_string(size);
    else
        head.content_length = size;
    head.verdict = stored ? cache::NotStored::stored : cache::NotStored::no_freshness;
    head.freshness = entry->freshness();
    head.stale = entry->stale_rules();
    head.revalidation = true;
    head.origin_status = origin_status;
    head.detail = detail;
    // A stored variant answers only the waiters that would have selected it.
    if (auto parts = cache::split_variant_key(entry->key()); parts.is_variant) {
        head.varies = true;
        head.secondary_key.assign(parts.secondary);
    }
    permit->publish_head(std::move(head));
    if (!request.head_method && size > 0) permit->append(entry->body().data(), size);
    permit.complete(stored ? entry : cache::EntryRef());
}

bool serve_stale_on_error(const FetchContext& context, const OriginRequest& request,
                          LeaderPermit& permit) {
    const cache::EntryRef& stale = permit->stale();
    if (!stale || !cache::may_serve_on_error(*stale, context.clock.now())) return false;
    publish_stored(permit, request, stale, 0, "stale-if-error", false);
    return true;
}

namespace {

// An entry of `head` with a body of `size` bytes to fill (body_data), keyed `key`. The client
// got every field; the store keeps those Cache-Control does not withhold. A route's
// strip_set_cookie keeps Set-Cookie to the client that fetched it.
cache::EntryRef entry_of_head(cache::Store& store, const FillHead& head, std::string_view key,
                              std::uint64_t hash, std::uint64_t size) {
    std::string entry_head =
        cache::without_withheld_fields(head.client_head, head.strip_set_cookie);
    entry_head.append("Content-Length: ").append(std::to_string(size)).append("\r\n");
    cache::Entry::Spec spec;
    spec.key = key;
    spec.hash = hash;
    spec.head = entry_head;
    spec.body_size = static_cast<std::size_t>(size);
    spec.status = head.status;
    spec.freshness = head.freshness;
    spec.stale = head.stale;
    return cache::Entry::create(spec, store.shared_heads());
}

}  // namespace

cache::EntryRef store_part(cache::Store& store, const FillHead& head, std::string_view key,
                           std::uint64_t hash, std::string_view body, Seconds now) {
    cache::EntryRef entry = entry_of_head(store, head, key, hash, body.size());
    if (!body.empty()) std::memcpy(entry->body_data(), body.data(), body.size());
    if (!cache::insert_response(store, entry, now)) entry.reset();
    return entry;
}

void store_and_complete(const FetchContext& context, LeaderPermit& permit) {
    cache::EntryRef entry;
    FillHead const& head = permit->head();
    // The fill is keyed by its URL's primary key, or by a variant key when the URL's marker
    // was known (it coalesced per variant); what the response says decides where it goes.
    // A variant is stored under its variant key (a miss-path allocation), and
    // insert_response below also writes its URL's marker (cache/variants.hpp); a response
    // without Vary under the primary key. The variant key cannot come out empty: build_key
    // never puts the separator in a primary key.
    const cache::VariantKeyParts fill_key = cache::split_variant_key(permit->key());
    std::string variant_key;
    if (head.varies) variant_key = cache::join_variant_key(fill_key.primary, head.secondary_key);
    const std::uint64_t size = permit->body_size();
    if (permit->storable() && (!head.varies || !variant_key.empty()) &&
        holds_its_range(head, size)) {
        const std::string_view key = head.varies ? std::string_view(variant_key) : fill_key.primary;
        const std::uint64_t hash = head.varies           ? cache::hash_key(variant_key)
                                   : fill_key.is_variant ? cache::hash_key(fill_key.primary)
                                                         : permit->hash();
        entry = entry_of_head(context.store, head, key, hash, size);
        std::vector<Fill::Slice> slices;
        permit->body_slices(0, size, slices);
        char* out = entry->body_data();
        for (const auto& s : slices) {
            std::memcpy(out, s.data, s.size);
            out += s.size;
        }
        if (!cache::insert_response(context.store, entry, context.clock.now())) entry.reset();
    }
    // Insert before leaving the table, so a new miss finds either the fill or the entry.
    permit.complete(std::move(entry));
}

}  // namespace cachet::proxy
