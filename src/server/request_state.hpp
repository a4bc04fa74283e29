#pragma once
// Where a client connection is with the one request it reads at a time, and what the
// llhttp callbacks learn on the way. Responses leave in request order, so the next request
// is parsed only once this one's response is under way (client_connection.cpp).
#include <cstdint>
#include <string_view>

namespace cachet::server {

enum class RequestPhase : std::uint8_t {
    between,  // no complete head: idle, or a head's bytes still arriving
    head,     // a complete head is with llhttp, whose callbacks are running
    body,     // the head is parsed and was dispatched at once (it has a body, which
              // streams to the origin as it arrives); the body is not read to its end
    parsed,   // read to its end (on_message_complete); a bodyless request is dispatched now
};

struct RequestState {
    RequestPhase phase = RequestPhase::between;
    bool cache_directives = false;  // Cache-Control, Pragma or Authorization present
    bool in_header_value = false;   // llhttp's last callback was for a field value
    bool too_many_headers = false;
    // Its head and body are held (server/held_request.hpp): dispatched once read to its end.
    bool held = false;
    // Its method is QUERY, shown to llhttp as PATCH (http/query_method.hpp).
    bool query = false;
    // A JSON-RPC batch, to be answered call by call (server/rpc_batch_dispatch.cpp): set
    // with its calls held, and gone with the request, whatever answered it.
    bool rpc_batch = false;
    // Why a callback refused the request (llhttp reports only "User callback error").
    std::string_view refusal;
    int refusal_status = 400;

    // A complete head goes to llhttp: nothing of the previous request is kept.
    void begin() noexcept {
        *this = RequestState{};
        phase = RequestPhase::head;
    }
    bool in_message() const noexcept { return phase != RequestPhase::between; }
    // Handed to llhttp and not read to its end: the connection goes on reading it, even
    // while its response streams.
    bool unfinished() const noexcept {
        return phase == RequestPhase::head || phase == RequestPhase::body;
    }
};

// How a client connection ends: not yet, once what is queued has been written, or now.
enum class Closing : std::uint8_t { no, after_writes, closed };

}  // namespace cachet::server
