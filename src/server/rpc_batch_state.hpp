#pragma once
// What a connection keeps of a JSON-RPC batch it answers call by call
// (server/rpc_batch_dispatch.cpp), from its dispatch to its reply, across the origin
// exchange of the calls the store could not answer. Made on the connection's first batch
// and reused after.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cache/decision.hpp"
#include "cache/entry.hpp"
#include "json/json_rpc.hpp"
#include "json/rpc_batch.hpp"
#include "json/rpc_batch_reply.hpp"

namespace cachet::server {

struct RpcBatchState {
    // The calls, parsed from the held body (server/held_request.hpp): their views point into
    // it, which stays put until the reply is written (the next request waits for it).
    json::RpcRequest request;
    // How much of the connection's key_ is the request's own key, before any body part:
    // each call's key is that, then its call key's digest (cache/body_key.hpp).
    std::size_t request_key_size = 0;
    json::BatchPlan plan;
    // Per call: its cache key and hash (empty for a notification), and the stored answer
    // found for it. The entry is held, so an eviction meanwhile cannot leave the call
    // unanswered; `stored` points into it.
    std::vector<std::string> keys;
    std::vector<std::uint64_t> hashes;
    std::vector<cache::EntryRef> entries;
    std::vector<json::StoredAnswer> stored;
    std::uint8_t route_slot = 0;  // the request's route counters (a copy: see route_slot_)
    cache::Forward forward = cache::Forward::miss;  // Cache-Status fwd of a forwarded reply

    // Sized for `calls` calls, nothing found yet.
    void reset(std::size_t calls) {
        keys.assign(calls, {});
        hashes.assign(calls, 0);
        entries.assign(calls, {});
        stored.assign(calls, {});
        plan = {};
    }
    // Lets go of the entries and the views into the held body once the reply is out.
    void release() noexcept {
        request.calls.clear();
        entries.clear();
        stored.clear();
    }
};

}  // namespace cachet::server
