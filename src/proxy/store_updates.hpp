#pragma once
// What an origin response does to the store, as free functions over what the fetch borrowed
// (FetchContext), the request it sent and its LeaderPermit: a complete storable response
// becomes an entry; a 304 refreshes the stale entry it revalidated; a stored entry can stand
// in for the origin's answer; an unsafe method's success, or a HEAD response that disagrees
// with the stored GET response, invalidates. On the fetch's worker, on the miss path.
#include <string_view>

#include "cache/entry.hpp"
#include "proxy/leader_permit.hpp"
#include "proxy/origin_pool.hpp"
#include "proxy/origin_request.hpp"
#include "proxy/response_head.hpp"
#include "util/time.hpp"

namespace cachet::proxy {

// RFC 9111 §4.4: erases what a non-error response to an unsafe method invalidates.
void invalidate_targets(cache::Store& store, const OriginRequest& request,
                        const OriginResponse& response);
// RFC 9111 §4.3.5: a 200 to a HEAD erases the stored GET response it disagrees with, or
// freshens the one it agrees with.
void check_stored_get(const FetchContext& context, const OriginRequest& request,
                      const OriginResponse& response, Seconds now);
// RFC 9111 §4.3.4: a 304 updates the fill's stale entry, which then answers the fill.
void refresh_stored(const FetchContext& context, const OriginRequest& request, LeaderPermit& permit,
                    const OriginResponse& response, Seconds now);
// A stored entry answers the fill in the origin's stead (a refreshed one, or stale-if-error):
// head and body are published and the permit completes (with the entry when `stored`).
// `entry` is taken by value: it may be the fill's own stale entry, which the permit's end
// can free.
void publish_stored(LeaderPermit& permit, const OriginRequest& request, cache::EntryRef entry,
                    int origin_status, std::string_view detail, bool stored);
// RFC 5861 §4: the origin failed before the fill had a head; its stale entry answers the
// fill instead (publish_stored) when stale-if-error allows it now. False: it does not.
bool serve_stale_on_error(const FetchContext& context, const OriginRequest& request,
                          LeaderPermit& permit);
// An entry of a storable fill's head (`head`, its verdict `stored`) with its own `body` and
// Content-Length, inserted under `key`: one part of a collected response (a JSON-RPC
// batch's answer to one call). Null when the store did not take it.
cache::EntryRef store_part(cache::Store& store, const FillHead& head, std::string_view key,
                           std::uint64_t hash, std::string_view body, Seconds now);
// The fill's body ended completely: stores it when it is storable, then completes the
// permit (after the insert, so a new miss finds either the fill or the entry).
void store_and_complete(const FetchContext& context, LeaderPermit& permit);

}  // namespace cachet::proxy
