// How a client connection answers in --mode replay: the request is keyed as a replay keys
// it (any method; the body's digest when it has one), its answer comes from the snapshot's
// table (replay/replay_table.hpp) and goes out through the same hit path as a cache hit,
// after the answer's latency (replay/latency.hpp) on a timer. A request with no answer gets
// --replay-miss-status with a JSON body naming the key and the nearest recorded ones, or
// with --replay-miss forward goes to the origin and into the snapshot.
#include "cache/body_key.hpp"
#include "config/config_file.hpp"
#include "replay/latency.hpp"
#include "replay/replay_table.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {
namespace {

// A latency drawn per answer needs the key's count of answers to be drawn the same way on
// every run (replay/latency.hpp).
bool drawn_per_answer(const replay::LatencyModel& model) noexcept {
    return model.kind == replay::LatencyKind::uniform ||
           model.kind == replay::LatencyKind::percentiles;
}

// What a replay does with a verdict the table's always-fresh entry got: an answer from it
// as decide() says (the entry, a 304, a 206, a 416), and the entry as is where decide()
// would go to the origin (a precondition it cannot judge): a replay never does.
cache::Verdict replay_verdict(cache::Verdict verdict) noexcept {
    using cache::Decision;
    switch (verdict.decision) {
    case Decision::serve_hit:
    case Decision::not_modified:
    case Decision::range_from_entry:
    case Decision::partial_from_entry:
    case Decision::unsatisfiable_range: return verdict;
    default: return {Decision::serve_hit, verdict.forward};
    }
}

}  // namespace

bool ClientConnection::build_replay_key() {
    // A stand-in is reached by whatever name the load test gives it: the host is left out
    // of the key unless --replay-match-host says the snapshot serves several.
    const std::string_view host = worker_.config().replay_match_host ? request_.host : "";
    const bool route_key = route_ && route_->rules.key.changes_key();
    bool built = false;
    if (route_key) {
        if (!route_scratch_) route_scratch_ = std::make_unique<cache::RouteKeyScratch>();
        built = cache::build_route_key(key_, *route_scratch_, request_.method, host,
                                       request_.target, route_->rules.key, request_.header_span())
                    .has_value();
    } else {
        built = cache::build_key(key_, request_.method, host, request_.target).has_value();
    }
    if (built && parse_.held) built = append_body_key();
    fill_key_ = key_.view();
    fill_hash_ = key_.hash;
    return built;
}

replay::RecordedRequestRef ClientConnection::recorded_request() {
    // A HEAD is answered in replay from its GET's answer: recording its bodiless response
    // under the same key would give GETs an empty body.
    if (request_.method == http::Method::head) return nullptr;
    if (worker_.config().mode == Mode::proxy) return nullptr;
    cache::KeyBuffer saved = key_;  // the store's key stays the request's own
    const bool built = build_replay_key();
    auto recorded = std::make_shared<replay::RecordedRequest>();
    if (built) recorded->key = std::string(key_.view());
    key_ = saved;
    fill_key_ = key_.view();
    if (!built) return nullptr;
    recorded->method = std::string(request_.method_name);
    recorded->url = std::string(request_.host) + std::string(request_.target);
    if (parse_.held) recorded->body = std::string(held_->body());
    return recorded;
}

void ClientConnection::dispatch_replay() {
    const Config& config = worker_.config();
    const Seconds now = worker_.clock().now();
    // Routes choose the key's rules (and the counters); any method is keyed, and the
    // client's cache directives are not for a stand-in, with no origin to revalidate with.
    route_ = cache::match_route(config.routes, request_.host, request_.target);
    route_slot_ = route_ ? route_->counter_slot : admin::kNoRouteSlot;
    cache::RequestTraits traits;
    traits.method = request_.method;
    traits.conditional = request_.conditional;
    traits.range = request_.range;
    traits.keyed = build_replay_key();
    const replay::LatencyModel& latency =
        route_ && route_->replay_latency ? *route_->replay_latency : config.replay_latency;
    std::optional<replay::ReplayAnswer> answer;
    if (traits.keyed) {
        answer = worker_.runtime().replay->answer(key_.view(), key_.hash, config.replay_order,
                                                  drawn_per_answer(latency));
    }
    if (!answer) return replay_miss();
    admin::bump(worker_.counters().replay_answered);
    cache::EntryRef entry = *answer->entry;
    cache::Lookup found;
    found.entry = entry.get();
    if (traits.conditional || traits.range) {
        derivation_ = cache::derive(request_.method, request_.header_span(), traits.conditional,
                                    traits.range, *entry, now);
        found.derived = &derivation_;
    }
    const cache::Verdict verdict = replay_verdict(cache::decide(traits, found, now));
    const std::uint64_t delay_us =
        replay::latency_us(latency, config.replay_latency_scale, config.seed, key_.hash,
                           answer->occurrence, answer->latency_us);
    if (delay_us == 0) return answer_replayed(verdict, std::move(entry), now);
    // libuv's timers count milliseconds: the delay is rounded to the nearest, at least 1.
    const std::uint64_t delay_ms = std::max<std::uint64_t>(1, (delay_us + 500) / 1000);
    delayed_verdict_ = verdict;
    delayed_entry_ = std::move(entry);
    if (!flush_hits()) return;  // earlier answers go out first
    delay_.start(worker_.loop(), delay_ms, this,
                 [](void* self) { static_cast<ClientConnection*>(self)->on_delay_over(); });
    update_reading();
}

void ClientConnection::answer_replayed(cache::Verdict verdict, cache::EntryRef entry, Seconds now) {
    if (worker_.config().replay_date == ReplayDate::now) {
        // The table's heads have no Date (replay_table.hpp): the tail gives the time now.
        date_text_ = http::format_http_date(now);
        answer_date_ = std::string_view(date_text_.data(), date_text_.size());
    }
    carry_out_outlined(verdict, std::move(entry), now);
    answer_date_ = {};
}

void ClientConnection::on_delay_over() {
    if (closing_ == Closing::closed) return;
    answer_replayed(delayed_verdict_, std::move(delayed_entry_), worker_.clock().now());
    if (!request_.keep_alive) close_after_writes();
    process_input();  // the requests that waited behind it
}

void ClientConnection::replay_miss() {
    const Config& config = worker_.config();
    if (config.replay_miss == ReplayMiss::forward) {
        admin::bump(worker_.counters().replay_forwarded);
        return fetch_alone(cache::Forward::miss, /*keyed=*/false);
    }
    admin::bump(worker_.counters().replay_unmatched);
    const std::string key = key_.size > 0 ? replay::printable_key(key_.view()) : std::string();
    const std::string url = std::string(request_.host) + std::string(request_.target);
    worker_.unmatched().note(key, request_.method_name, url);
    using config::json_quoted;
    std::string body = "{\"error\": \"no recorded answer\", \"key\": " + json_quoted(key) +
                       ", \"method\": " + json_quoted(request_.method_name) +
                       ", \"url\": " + json_quoted(url) + ", \"nearest\": [";
    if (key_.size > 0) {
        const auto nearest = worker_.runtime().replay->nearest(key_.view(), 3);
        for (std::size_t i = 0; i < nearest.size(); ++i)
            body += (i ? ", " : "") + json_quoted(replay::printable_key(nearest[i]));
    }
    body += "]}\n";
    send_json_status(config.replay_miss_status, "No Recorded Answer", std::move(body),
                     cache::Forward::miss);
}

void ClientConnection::send_json_status(int status, std::string_view reason_phrase,
                                        std::string body, cache::Forward forward) {
    worker_.counters().count(admin::CacheStatus::error, route_slot());
    if (AccessLog* log = worker_.access_log()) [[unlikely]] {
        log_answer(
            *log,
            {.status = status, .body_bytes = body.size(), .cache = admin::CacheStatus::error});
    }
    std::string out =
        "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase) + "\r\n";
    out +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    ResponseTail tail;
    tail.phase = CachePhase::error;
    tail.forward = forward;
    tail.detail = "no recorded answer";
    tail.connection = connection_field_for_response();
    append_tail(out, tail);
    out += body;
    write_owned(std::move(out));
    if (!request_.keep_alive) close_after_writes();
}

}  // namespace cachet::server
