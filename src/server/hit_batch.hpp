#pragma once
// The hit path's write: up to kMaxHits responses, each [stored head][tail][body] straight
// from store entries, leave in one uv_write (one writev). A batch is pooled per connection
// and reused request after request: no allocation per hit in the steady state.
//
// Holds an EntryRef per response until the write completes, so eviction never frees
// bytes the kernel has not copied yet.
#include <array>
#include <cstdint>
#include <string_view>

#include <uv.h>

#include "cache/entry.hpp"
#include "server/response_tail.hpp"
#include "util/time.hpp"
#include "util/write_now.hpp"

namespace cachet::server {

class ClientConnection;

struct HitBatch {
    static constexpr unsigned kMaxHits = 16;
    static constexpr std::size_t kTailSize = 128;

    // Adds one response, its tail written from `tail` (server/response_tail.hpp); false
    // when the batch is full.
    bool add(cache::EntryRef entry, const ResponseTail& tail, bool head_only) noexcept;
    bool empty() const noexcept { return count == 0; }
    // Writes the batch: at once when the socket takes it all (`done`: the caller recycles
    // the batch), else the rest through uv_write (`partial`: on completion the batch
    // returns to the connection's pool by itself).
    WriteNow submit(ClientConnection& connection) noexcept;
    void clear() noexcept;

    uv_write_t req;
    ClientConnection* owner = nullptr;
    HitBatch* next_free = nullptr;
    unsigned count = 0;
    unsigned buf_count = 0;
    std::size_t bytes = 0;  // of all its buffers, for cachet_client_sent_bytes_total
    std::array<cache::EntryRef, kMaxHits> entries;
    std::array<std::array<char, kTailSize>, kMaxHits> tails;
    std::array<uv_buf_t, kMaxHits * 4> bufs;  // [shared head][own head][tail][body]
};

}  // namespace cachet::server
