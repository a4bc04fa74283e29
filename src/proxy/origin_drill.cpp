// What a drill (proxy/drill.hpp) makes an OriginConnection do instead of, or on top of, its
// exchange with the server; request_.drill holds the action OriginPools::start decided.
// Each action re-enters the connection's own paths, so the rest of cachet sees what a broken
// origin would give it:
//   refuse    no socket; on the next loop turn, the path of a refused connect (fail_connect:
//             the next server of the origin, then a 502 or a stale-if-error stand-in)
//   answer    no socket; on the next loop turn, a synthetic response read as the origin's
//             bytes (handle_read): stale-if-error, storability and counters as for a real one
//   delay     the response is not read until the latency has passed; the first-byte deadline
//             stays where it was, so a latency past it ends in the usual 504
//   cut_after the body stops after that many bytes and, a moment later, the connection is
//             reset: the fill fails as on a real reset mid-body (a truncation, never stored)
// A drilled exchange never changes its server's passive health (note_server_failure).
#include "proxy/origin_connection.hpp"

namespace cachet::proxy {

void OriginConnection::stand_in_for_origin() {
    // Connecting, for the connection's other paths (a request body is kept, not written);
    // the step runs from the loop, as a real refusal or response would arrive.
    reused_ = false;
    phase_ = Phase::connecting;
    arm_drill_timer(0);
}

void OriginConnection::arm_drill_timer(Millis ms) {
    drill_timer_ = true;
    uv_timer_start(
        &timer_, [](uv_timer_t* t) { static_cast<OriginConnection*>(t->data)->handle_timeout(); },
        ms, 0);
}

void OriginConnection::take_drill_step() {
    switch (request_.drill.kind) {
    case DrillActionKind::refuse: return fail_connect(Errc::origin_connect_failed);
    case DrillActionKind::answer: return answer_from_drill();
    case DrillActionKind::delay: return release_response();
    case DrillActionKind::cut_after: return fail_exchange(exchange_.failure(Errc::origin_reset));
    case DrillActionKind::none: return;
    }
}

void OriginConnection::answer_from_drill() {
    phase_ = Phase::exchanging;
    const auto status = static_cast<std::uint16_t>(request_.drill.amount);
    std::string bytes = drill_response(status, pool_.settings().name);
    uv_buf_t buf = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
    handle_read(static_cast<ssize_t>(bytes.size()), &buf);  // ends with Connection: close
}

void OriginConnection::hold_response(Millis first_byte_limit) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    const Millis latency = request_.drill.amount;
    // The response cannot arrive before the deadline: the timeout fires as it would.
    if (latency >= first_byte_limit)
        return arm_timer(first_byte_limit, Errc::origin_first_byte_timeout);
    arm_drill_timer(latency);
}

void OriginConnection::release_response() {
    // What is left of the first-byte deadline, counted from the request's end as always.
    const Millis limit = pool_.settings().first_byte_timeout;
    const Millis latency = request_.drill.amount;
    arm_timer(limit > latency ? limit - latency : 0, Errc::origin_first_byte_timeout);
    begin_reading();
}

bool OriginConnection::cuts_here(std::size_t size) {
    return permit_->body_size() + size > request_.drill.amount;
}

int OriginConnection::cut_body(const char* at) {
    const std::uint64_t passed = permit_->body_size();
    const std::uint64_t cut_after = request_.drill.amount;
    if (cut_after > passed) permit_->append(at, static_cast<std::size_t>(cut_after - passed));
    // Nothing more is read or parsed (the -1 stops llhttp; handle_read returns on the phase).
    // The reset waits a moment, as a real one comes after the bytes that made it: the
    // subscribers get the head and the part first (a local one on the loop's next turn), so
    // a client that has the head sees its connection close before the declared end. Cut at
    // once, a client without the head yet would get a 502 instead.
    constexpr Millis kResetAfterCut = 50;
    phase_ = Phase::cut;
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    arm_drill_timer(kResetAfterCut);
    return -1;
}

}  // namespace cachet::proxy
