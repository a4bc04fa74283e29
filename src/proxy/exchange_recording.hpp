#pragma once
// One origin exchange on its way into the snapshot (--mode record, a replay's forwarded
// miss): started by the response head, fed the body as it arrives, handed to the recorder
// when the response ends complete. A response that fails or is cut short is never
// recorded (a replay would give the truncated body as a whole one), nor one whose body
// passes --max-object-size. On the origin connection's worker, on the miss path.
#include <cstdint>
#include <string>

#include "proxy/fill.hpp"
#include "replay/recorded_request.hpp"
#include "snapshot/record.hpp"
#include "util/time.hpp"

namespace cachet::proxy {

class ExchangeRecording {
public:
    // `head`: the response head as cachet gives it to clients (build_fill_head).
    ExchangeRecording(replay::RecordedRequestRef request, const FillHead& head,
                      std::uint64_t started_ns, std::size_t max_body);
    // False once the body has passed the limit: the recording is to be dropped.
    bool append(const char* data, std::size_t size);
    // The record of the whole exchange, ended at `now_ns` (uv_hrtime) and `now`.
    snapshot::Record finish(std::uint64_t now_ns, Seconds now);

private:
    replay::RecordedRequestRef request_;
    std::string head_;
    std::string body_;
    int status_ = 0;
    bool bodyless_ = false;
    Seconds initial_age_ = 0;
    bool has_validators_ = false;
    std::uint64_t started_ns_ = 0;
    std::size_t max_body_ = 0;
};

}  // namespace cachet::proxy
