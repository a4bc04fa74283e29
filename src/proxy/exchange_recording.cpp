#include "proxy/exchange_recording.hpp"

#include <algorithm>
#include <limits>

namespace cachet::proxy {

ExchangeRecording::ExchangeRecording(replay::RecordedRequestRef request, const FillHead& head,
                                     std::uint64_t started_ns, std::size_t max_body)
    : request_(std::move(request)),
      head_(head.client_head),
      status_(head.status),
      bodyless_(head.bodyless),
      initial_age_(head.freshness.initial_age),
      has_validators_(head.stale.has_validators),
      started_ns_(started_ns),
      max_body_(max_body) {}

bool ExchangeRecording::append(const char* data, std::size_t size) {
    if (body_.size() + size > max_body_) return false;
    body_.append(data, size);
    return true;
}

snapshot::Record ExchangeRecording::finish(std::uint64_t now_ns, Seconds now) {
    snapshot::Record record;
    record.kind = snapshot::RecordKind::exchange;
    record.key = request_->key;
    record.method = request_->method;
    record.url = request_->url;
    record.request_body = request_->body;
    record.status = static_cast<std::uint16_t>(status_);
    // Framing is the replay's to set, as for a stored entry: the head gets the length of
    // the body it carries (a bodyless status carries none).
    record.head = std::move(head_);
    if (!bodyless_)
        record.head.append("Content-Length: ").append(std::to_string(body_.size())).append("\r\n");
    record.body = std::move(body_);
    const std::uint64_t us = (now_ns - started_ns_) / 1000;
    record.latency_us = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(us, std::numeric_limits<std::uint32_t>::max()));
    record.response_time = now;
    record.initial_age = initial_age_;
    record.has_validators = has_validators_;
    return record;
}

}  // namespace cachet::proxy
