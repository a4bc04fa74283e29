#pragma once
// What the recorder keeps of a request that goes to the origin in --mode record (or a
// replay's forwarded miss): the key a replay will match it by and what `cachet snapshot
// show` shows of it. Made on the miss path by the client connection, carried by the origin
// request, written with the response when the exchange ends.
#include <memory>
#include <string>

namespace cachet::replay {

struct RecordedRequest {
    std::string key;     // as a replay builds it (server/replay_dispatch.cpp)
    std::string method;  // as sent
    std::string url;     // host and target as sent
    std::string body;    // the request's body, when it had one
};

using RecordedRequestRef = std::shared_ptr<const RecordedRequest>;

}  // namespace cachet::replay
