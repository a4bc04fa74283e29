// How origin bytes become a response: the llhttp callbacks that collect the head, decide
// what it does to the store and the fill (proxy/response_head.cpp, store_updates.cpp),
// relay interim responses, and feed the body to the fill with flow control. The exchange's
// connection, writes and timers live in origin_connection.cpp.
#include <charconv>

#include "cache/entry.hpp"
#include "cache/invalidation.hpp"
#include "cache/stale_use.hpp"
#include "proxy/interim_response.hpp"
#include "proxy/origin_connection.hpp"
#include "proxy/response_head.hpp"

namespace cachet::proxy {
namespace {

OriginConnection* self(llhttp_t* p) { return static_cast<OriginConnection*>(p->data); }

}  // namespace

const llhttp_settings_t& OriginConnection::parser_settings() {
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_status = [](llhttp_t* p, const char* at, size_t n) {
            return self(p)->handle_status(at, n);
        };
        s.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
            return self(p)->handle_header_field(at, n);
        };
        s.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
            return self(p)->handle_header_value(at, n);
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

int OriginConnection::handle_status(const char* at, std::size_t size) {
    if (reason_len_ == 0) reason_at_ = static_cast<std::uint32_t>(head_bytes_.size());
    head_bytes_.append(at, size);
    reason_len_ += static_cast<std::uint32_t>(size);
    return 0;
}

int OriginConnection::handle_header_field(const char* at, std::size_t size) {
    if (fields_.empty() || in_value_) {
        if (fields_.size() >= 256) return -1;
        auto offset = static_cast<std::uint32_t>(head_bytes_.size());
        fields_.push_back(FieldOffsets{offset, 0, offset, 0});
        in_value_ = false;
    }
    head_bytes_.append(at, size);
    fields_.back().name_len += static_cast<std::uint32_t>(size);
    fields_.back().value_at = static_cast<std::uint32_t>(head_bytes_.size());
    return 0;
}

int OriginConnection::handle_header_value(const char* at, std::size_t size) {
    if (fields_.empty()) return -1;
    in_value_ = true;
    const std::size_t from = head_bytes_.size();
    head_bytes_.append(at, size);
    // A value's later piece comes after a read boundary or an obs-fold, which llhttp hands
    // over inside the value. RFC 9112 §5.2 lets a proxy replace each fold with SP instead
    // of failing the response: the value then reads as one line downstream, never as a
    // field line of its own. (A first piece holds no line break.)
    if (fields_.back().value_len > 0) {
        for (std::size_t i = from; i < head_bytes_.size(); ++i) {
            if (head_bytes_[i] == '\r' || head_bytes_[i] == '\n') head_bytes_[i] = ' ';
        }
    }
    fields_.back().value_len += static_cast<std::uint32_t>(size);
    return head_bytes_.size() > (64u << 10) ? -1 : 0;
}

int OriginConnection::handle_headers_complete() {
    int status = llhttp_get_status_code(&parser_);
    if (status >= 100 && status < 200) {
        // An interim response (RFC 9110 §15.2): relayed to the client that caused this
        // fetch, or skipped; then the final response is parsed.
        interim_ = true;
        InterimUse use = interim_use(status);
        if (use == InterimUse::refuse) return -1;
        if (use == InterimUse::relay) relay_interim(status);
        head_bytes_.clear();
        fields_.clear();
        in_value_ = false;
        reason_at_ = reason_len_ = 0;
        return 0;
    }
    interim_ = false;
    std::vector<http::HeaderView> views = field_views();
    bool has_content_length = false;
    std::uint64_t content_length = 0;
    for (const auto& view : views) {
        if (http::iequals(view.name, "content-length")) {
            has_content_length = true;
            std::from_chars(view.value.data(), view.value.data() + view.value.size(),
                            content_length);
        }
    }
    const char* base = head_bytes_.data();
    OriginResponse response;
    response.status = status;
    response.reason = std::string_view(base + reason_at_, reason_len_);
    response.headers = views;
    response.has_content_length = has_content_length;
    response.content_length = content_length;
    response.chunked = (parser_.flags & F_CHUNKED) != 0;

    if (!cache::is_safe_method(request_.method)) invalidate_targets(response);
    if (request_.head_method && status == 200) check_stored_get(response, context_.clock.now());
    if (const cache::EntryRef& stale = permit_->stale()) {
        Seconds now = context_.clock.now();
        if (status == 304) {
            refresh_stored(response, now);
            return request_.head_method ? 1 : 0;
        }
        if (status >= 500 && cache::may_serve_on_error(*stale, now)) {
            publish_stored(stale, status, "stale-if-error", false);
            discard_body_ = true;  // the 5xx body is read to keep the connection usable
            return request_.head_method ? 1 : 0;
        }
    }
    HeadOptions options{context_.policy, context_.config.max_object_size, permit_->has_key()};
    FillHead head = build_fill_head(request_, response, context_.clock.now(), options);
    head.replaced_stale = static_cast<bool>(permit_->stale());
    bool storable = head.verdict == cache::NotStored::stored;
    head_published_ = true;
    permit_->publish_head(std::move(head));
    // Waiters were released by the head: new misses must not join a fill nobody may share.
    if (!storable) permit_.withdraw();
    arm_timer(context_.config.origin_idle_timeout, Errc::origin_idle_timeout);
    return request_.head_method ? 1 : 0;
}

std::vector<http::HeaderView> OriginConnection::field_views() const {
    std::vector<http::HeaderView> views;  // miss path: one per response head
    views.reserve(fields_.size());
    const char* base = head_bytes_.data();
    for (const auto& f : fields_) {
        views.push_back(
            http::HeaderView{{base + f.name_at, f.name_len}, {base + f.value_at, f.value_len}});
    }
    return views;
}

void OriginConnection::relay_interim(int status) {
    // Only the exchange that caused the fetch hears of it: never stored, never given to
    // waiters or hits (the fill carries only the final response).
    if (!client_) return;
    std::vector<http::HeaderView> views = field_views();
    std::string_view reason(head_bytes_.data() + reason_at_, reason_len_);
    client_->on_interim(interim_head(status, reason, views));
}

int OriginConnection::handle_body(const char* at, std::size_t size) {
    if (discard_body_ || served_from_store_) return 0;
    permit_->append(at, size);
    if (permit_->storable()) {
        if (permit_->body_size() > context_.config.max_object_size) {
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
    if (interim_) {
        interim_ = false;
        return 0;
    }
    keep_alive_ = llhttp_should_keep_alive(&parser_) != 0;
    message_done_ = true;
    if (!served_from_store_) store_and_complete();
    return HPE_PAUSED;
}

}  // namespace cachet::proxy
