#pragma once
// Sends a ResponsePlan over time: the delay, the head, the body in pieces small enough to stream,
// the stall, and the ending (finish, a close after a truncation (over TLS without close_notify)
// or a close-delimited body, RST, or nothing at all for a hang).
//
// Ownership: the sender is shared by the pending write or timer closure that continues it; the
// connection drops those closures when it closes, which frees the sender.
#include <cstdint>
#include <memory>

#include "origin_server/connection.hpp"
#include "test_origin/response_plan.hpp"

namespace cachet::tools {

class ResponseSender : public std::enable_shared_from_this<ResponseSender> {
public:
    static void start(Connection& conn, ResponsePlan plan);

    ResponseSender(Connection& conn, ResponsePlan plan) : conn_(conn), plan_(std::move(plan)) {}

private:
    void begin();
    void send_head(std::size_t from);
    void after_head();
    void pump();
    void done();
    std::string framed_piece(std::uint64_t length);

    Connection& conn_;  // borrowed: closures that reach us never run after it closed
    ResponsePlan plan_;
    std::uint64_t sent_ = 0;  // body bytes sent (before chunk framing)
    bool stalled_ = false;    // the stall already happened
};

}  // namespace cachet::tools
