// How origin bytes become a response: the llhttp callbacks that collect the head (into
// OriginExchange), decide what it does to the store and the fill (proxy/response_head.cpp,
// store_updates.hpp), relay interim responses, and feed the body to the fill with flow
// control. The exchange's connection, writes and timers live in origin_connection.cpp.

#include "cache/entry.hpp"
#include "cache/invalidation.hpp"
#include "cache/stale_use.hpp"
#include "http/tokens.hpp"
#include "proxy/interim_response.hpp"
#include "proxy/origin_connection.hpp"
#include "proxy/response_head.hpp"
#include "proxy/store_updates.hpp"

namespace cachet::proxy {
namespace {

OriginConnection* self(llhttp_t* p) { return static_cast<OriginConnection*>(p->data); }

}  // namespace

const llhttp_settings_t& OriginConnection::parser_settings() {
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_status = [](llhttp_t* p, const char* at, size_t n) {
            self(p)->exchange_.add_reason({at, n});
            return 0;
        };
        s.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
            return self(p)->exchange_.add_field_name({at, n}) ? 0 : -1;
        };
        s.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
            return self(p)->exchange_.add_field_value({at, n}) ? 0 : -1;
        };
        s.on_headers_complete = [](llhttp_t* p) { return self(p)->handle_headers_complete(); };
        s.on_body = [](llhttp_t* p, const char* at, size_t n) {
            return self(p)->handle_body(at, n);
        };
        s.on_message_complete = [](llhttp_t* p) { return self(p)->handle_message_complete(); };
        return s;
    }();
    return settings;
}

int OriginConnection::handle_headers_complete() {
    int status = llhttp_get_status_code(&parser_);
    if (status >= 100 && status < 200) {
        // An interim response (RFC 9110 §15.2): relayed to the client that caused this
        // fetch, or skipped; then the final response is parsed.
        InterimUse use = interim_use(status);
        if (use == InterimUse::refuse) return -1;
        if (use == InterimUse::relay) relay_interim(status);
        exchange_.on_interim_head();
        return 0;
    }
    pool_.counters().observe_response((uv_hrtime() - started_ns_) / 1000);
    // It answered: its run of failures (if any) ends. A drilled exchange says nothing of it.
    if (!drilled()) pool_.server().health.succeeded();
    const http::HeaderSpan views = exchange_.fields();
    bool has_content_length = false;
    std::uint64_t content_length = 0;
    for (const auto& view : views) {
        if (http::iequals(view.name, "content-length")) {
            // llhttp has checked the framing: 1*DIGIT, one value.
            has_content_length = true;
            content_length = http::parse_digits(http::trim_ows(view.value)).value_or(0);
            break;  // llhttp refuses a second Content-Length
        }
    }
    OriginResponse response;
    response.status = status;
    response.reason = exchange_.reason();
    response.headers = views;
    response.has_content_length = has_content_length;
    response.content_length = content_length;
    response.chunked = (parser_.flags & F_CHUNKED) != 0;

    if (!http::is_safe(request_.method) && !request_.body_keyed)
        invalidate_targets(context_.store, request_, response);
    if (request_.head_method && status == 200)
        check_stored_get(context_, request_, response, context_.clock.now());
    if (const cache::EntryRef& stale = permit_->stale()) {
        Seconds now = context_.clock.now();
        if (status == 304) {
            exchange_.on_stored_head();
            refresh_stored(context_, request_, permit_, response, now);
            return request_.head_method ? 1 : 0;
        }
        if (status >= 500 && cache::may_serve_on_error(*stale, now)) {
            // The 5xx body is read and dropped, to keep the connection usable.
            exchange_.on_stored_head();
            publish_stored(permit_, request_, stale, status, "stale-if-error", false);
            return request_.head_method ? 1 : 0;
        }
    }
    // The route's rules (copied into the request) join the global policy for this response.
    // A collected response is judged as if keyed: its caller stores its parts.
    HeadOptions options{cache::with_rules(context_.policy, request_.rules),
                        context_.config->max_object_size, permit_->has_key() || request_.collected};
    FillHead head = build_fill_head(request_, response, context_.clock.now(), options);
    head.replaced_stale = static_cast<bool>(permit_->stale());
    bool storable = head.verdict == cache::NotStored::stored;
    if (request_.recorded) [[unlikely]] {
        recording_ = std::make_unique<ExchangeRecording>(request_.recorded, head, started_ns_,
                                                         context_.config->max_object_size);
    }
    exchange_.on_final_head();
    permit_->publish_head(std::move(head));
    // Waiters were released by the head: new misses must not join a fill nobody may share.
    if (!storable) permit_.withdraw();
    arm_timer(pool_.settings().idle_timeout, Errc::origin_idle_timeout);
    return request_.head_method ? 1 : 0;
}

void OriginConnection::relay_interim(int status) {
    // Only the exchange that caused the fetch hears of it: never stored, never given to
    // waiters or hits (the fill carries only the final response).
    if (!client_) return;
    const http::HeaderSpan views = exchange_.fields();
    client_->on_interim(interim_head(status, exchange_.reason(), views));
}

int OriginConnection::handle_body(const char* at, std::size_t size) {
    if (exchange_.phase() != ResponsePhase::body) return 0;  // a stored response stands in
    if (request_.drill.kind == DrillActionKind::cut_after && cuts_here(size)) [[unlikely]]
        return cut_body(at);
    permit_->append(at, size);
    if (recording_ && !recording_->append(at, size)) drop_recording();
    if (permit_->storable()) {
        if (permit_->body_size() > context_.config->max_object_size) {
            permit_->refuse_storage(cache::NotStored::too_large);
            permit_.withdraw();
        }
    } else if (permit_->subscriber_count() == 0) {
        // Nobody reads it and nobody will store it: stop paying for it.
        return -1;
    } else if (client_ != nullptr && client_->response_backlog() > kResponseBacklogLimit) {
        // Nobody will store it and the client takes it slower than the origin sends: hold
        // the origin back rather than the whole response in memory. The idle timer stops
        // too; the client's own send timeout bounds the wait.
        response_paused_ = true;
        uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
        uv_timer_stop(&timer_);
    }
    return 0;
}

int OriginConnection::handle_message_complete() {
    const bool fed_fill = exchange_.phase() == ResponsePhase::body;
    if (!exchange_.on_message_end(llhttp_should_keep_alive(&parser_) != 0)) return 0;  // a 1xx
    if (fed_fill) {
        finish_recording();
        store_and_complete(context_, permit_);
    }
    return HPE_PAUSED;
}

}  // namespace cachet::proxy
