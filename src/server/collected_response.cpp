// How a ResponseStream collects a response instead of streaming it (ClientInfo::collected):
// nothing is written to the client; once the fill is complete its body is copied out whole
// and handed to the connection with the head, which answers the client itself (a JSON-RPC
// batch's reply, server/rpc_batch_dispatch.cpp). The stream stays active meanwhile, so
// the connection waits for it as for any miss: pipelined requests queue behind it, a
// client that leaves cancels it, and the origin's timeouts fail its fill.
#include <uv.h>

#include <string>
#include <vector>

#include "server/client_connection.hpp"
#include "server/response_stream.hpp"
#include "server/worker.hpp"

namespace cachet::server {

void ResponseStream::collect_progress() {
    const proxy::FillRef fill = fill_;  // end_collected() lets go of the stream's
    const proxy::Fill::Snapshot snapshot = fill->snapshot();
    if (snapshot.state == proxy::Fill::State::waiting) return;
    Collected response;
    if (snapshot.state == proxy::Fill::State::failed) {
        response.failure = describe(snapshot.error);
        response.failure_status = is_timeout(snapshot.error) ? 504 : 502;
        return end_collected(response);
    }
    // Bounded like a held request: past the cap the stream lets go, and the origin
    // connection, with nobody left to read a response it will not store, stops.
    if (snapshot.body_size > kMaxCollected) {
        response.failure = "origin's answer to the batch is larger than 1 MiB";
        return end_collected(response);
    }
    if (snapshot.state != proxy::Fill::State::complete) return;
    std::vector<proxy::Fill::Slice> slices;
    fill->body_slices(0, snapshot.body_size, slices);
    std::string body;  // a miss-path copy: the body is parsed and split as one text
    body.reserve(static_cast<std::size_t>(snapshot.body_size));
    for (const proxy::Fill::Slice& slice : slices) body.append(slice.data, slice.size);
    response.head = &fill->head();
    response.body = body;
    end_collected(response);
}

void ResponseStream::end_collected(Collected response) {
    if (logging_) {
        logging_ = false;
        const std::uint64_t now_ns = uv_hrtime();
        response.duration_us = static_cast<std::int64_t>((now_ns - started_ns_) / 1000);
        // Nothing was sent before the whole response came: its origin time is the same.
        if (response.head) response.origin_us = response.duration_us;
    }
    // The head stays valid while `keep` holds the fill, after the stream has let go of it.
    const proxy::FillRef keep = fill_;
    bool keep_alive = keep_alive_;
    if (connection_.worker().draining()) keep_alive = false;
    detach();
    connection_.on_collected(response, keep_alive);
    connection_.on_stream_done(keep_alive);
}

}  // namespace cachet::server
