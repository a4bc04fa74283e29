#include "server/response_stream.hpp"

#include <charconv>

#include "cache/key.hpp"
#include "cache/variants.hpp"
#include "cache/vary.hpp"
#include "cache/withheld_fields.hpp"
#include "proxy/origin_connection.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {
namespace {

std::string number(std::uint64_t n, int base = 10) {
    char digits[24];
    return std::string(digits, std::to_chars(digits, digits + sizeof digits, n, base).ptr);
}

}  // namespace

void ResponseStream::init_timer(uv_loop_t* loop) {
    uv_timer_init(loop, &wait_timer_);
    wait_timer_.data = this;
}

void ResponseStream::close_timer(void* owner, uv_close_cb on_closed) {
    uv_timer_stop(&wait_timer_);
    wait_timer_.data = owner;  // the close callback belongs to the owner
    uv_close(reinterpret_cast<uv_handle_t*>(&wait_timer_), on_closed);
}

void ResponseStream::start(Role role, proxy::FillRef fill, proxy::LeaderPermit&& permit,
                           proxy::OriginRequest request, ClientInfo client) {
    role_ = role;
    fill_ = std::move(fill);
    client_ = client;
    head_sent_ = false;
    rejoined_ = false;
    sent_ = 0;
    keep_alive_ = client.keep_alive;
    Worker& worker = connection_.worker();
    logging_ = worker.access_log() != nullptr;
    if (logging_) {
        started_ns_ = uv_hrtime();
        answer_ = LoggedAnswer{};
    }
    fill_->subscribe(worker.index(), *this);
    if (role == Role::waiter) {
        request_.emplace(std::move(request));
        uv_timer_start(
            &wait_timer_,
            [](uv_timer_t* t) {
                auto* stream = static_cast<ResponseStream*>(t->data);
                if (stream->active() && !stream->head_sent_) stream->go_alone();
            },
            worker.config().coalesce_timeout, 0);
        on_fill_progress();  // the fill may have progressed before we subscribed
        return;
    }
    fetch(std::move(request), std::move(permit));
}

void ResponseStream::fetch(proxy::OriginRequest request, proxy::LeaderPermit&& permit) {
    // This stream caused the fetch: it streams the request body and takes the interim
    // responses, which waiters never see.
    proxy::OriginConnection* origin =
        connection_.worker().origins().start(std::move(request), std::move(permit));
    if (fill_ && origin->attach_client(this)) origin_ = origin;
}

void ResponseStream::go_alone() {
    // A waiter that cannot use the shared fill asks the origin itself, privately.
    uv_timer_stop(&wait_timer_);
    proxy::OriginRequest request = std::move(*request_);
    request_.reset();
    Worker& worker = connection_.worker();
    fill_->unsubscribe(worker.index(), *this);
    // Not coalesced, but stored when storable: the key stays the same.
    fill_ = proxy::Fill::create(fill_->key(), fill_->hash(),
                                static_cast<unsigned>(worker.runtime().workers.size()),
                                worker.index(), worker.runtime(), false);
    role_ = Role::alone;
    fill_->subscribe(worker.index(), *this);
    fetch(std::move(request), proxy::LeaderPermit::unshared(fill_));
}

void ResponseStream::on_fill_progress() {
    if (!fill_) return;
    if (client_.collected) [[unlikely]]
        return collect_progress();
    proxy::FillRef keep = fill_;  // this call may finish the stream
    auto snapshot = fill_->snapshot();
    std::string head;
    if (!head_sent_) {
        if (role_ == Role::waiter && snapshot.released) {
            go_alone();
            return;
        }
        if (snapshot.state == proxy::Fill::State::failed) {
            send_error(snapshot.error);
            return;
        }
        if (snapshot.state == proxy::Fill::State::waiting) return;
        if (role_ == Role::waiter) {
            cache::SecondaryKeyBuffer own;
            if (!may_share(fill_->head(), own)) {
                if (own.size > 0 && !rejoined_)
                    join_own_variant(own.view());
                else
                    go_alone();
                return;
            }
        }
        uv_timer_stop(&wait_timer_);
        request_.reset();
        head = head_text(fill_->head());
    }
    // The head and the body bytes at hand leave in one write.
    if (snapshot.body_size > sent_ && !client_.head_request)
        send_body_bytes(snapshot.body_size, std::move(head));
    else if (!head.empty())
        connection_.write_owned(std::move(head));
    if (snapshot.state == proxy::Fill::State::failed) {
        // The head is out: the only honest signal left is to close before the declared end.
        log_end();
        detach();
        connection_.abort_now();
        return;
    }
    if (snapshot.state == proxy::Fill::State::complete) finish();
}

bool ResponseStream::may_share(const proxy::FillHead& head, cache::SecondaryKeyBuffer& own) const {
    // Waiters joined by URL (or by a variant key that the origin's Vary may since have made
    // stale); a response selected by Vary (RFC 9111 §4.1) is theirs only when their own
    // request has the leader's secondary key. The request forwarded for this waiter is kept
    // until the head arrives, so its fields are at hand.
    own.size = 0;
    if (!head.varies) return true;
    if (!request_) return false;
    const auto vary = cache::VaryNames::of_head(head.client_head);
    if (cache::build_secondary_key_of_head(own, vary, request_->head) != cache::VaryKey::built)
        return false;
    return own.view() == head.secondary_key;
}

void ResponseStream::join_own_variant(std::string_view secondary_key) {
    // Rather than fetch alone, join (or lead) the fill for this request's own variant, so
    // concurrent misses for one variant still reach the origin once. Once only: a second
    // mismatch (the origin changing its Vary set meanwhile) goes alone.
    rejoined_ = true;
    Worker& worker = connection_.worker();
    // A miss-path allocation: the variant key this waiter coalesces under.
    const std::string key =
        cache::join_variant_key(cache::split_variant_key(fill_->key()).primary, secondary_key);
    if (key.empty() || key == fill_->key()) {
        go_alone();
        return;
    }
    auto joined = worker.runtime().inflight.join(key, cache::hash_key(key), worker.index());
    if (joined.role == proxy::InflightTable::Role::alone) {
        go_alone();
        return;
    }
    fill_->unsubscribe(worker.index(), *this);
    fill_ = std::move(joined.fill);
    fill_->subscribe(worker.index(), *this);
    if (joined.role == proxy::InflightTable::Role::leader) {
        uv_timer_stop(&wait_timer_);
        role_ = Role::leader;
        proxy::OriginRequest request = std::move(*request_);
        request_.reset();
        fetch(std::move(request), std::move(joined.permit));
        return;
    }
    on_fill_progress();  // the fill may have progressed before we subscribed
}

admin::CacheStatus ResponseStream::cache_status_of(const proxy::FillHead& head,
                                                   const ResponseTail& tail) noexcept {
    // A stored response that stood in for the origin's (stale-if-error) was served stale; one
    // that went to the origin was revalidated (or replaced); a bypass passed.
    if (tail.forward == cache::Forward::bypass) return admin::CacheStatus::pass;
    if (!head.detail.empty()) return admin::CacheStatus::stale;
    if (tail.forward == cache::Forward::stale) return admin::CacheStatus::revalidated;
    return admin::CacheStatus::miss;
}

ResponseTail ResponseStream::tail_of(const proxy::FillHead& head) const {
    ResponseTail tail;
    tail.phase = CachePhase::forwarded;
    // RFC 9211 §2.2.2: fwd=stale when a stored response was stale and went to the origin
    // (revalidated, or replaced by a new answer), whichever request's fetch it was.
    const bool stale = head.revalidation || head.replaced_stale;
    tail.forward = stale && client_.forward != cache::Forward::bypass ? cache::Forward::stale
                                                                      : client_.forward;
    tail.forward_status = head.origin_status;
    tail.collapsed = role_ == Role::waiter;
    if (!head.detail.empty()) {
        tail.detail = head.detail;  // how it came about, e.g. stale-if-error
    } else if (head.verdict == cache::NotStored::stored) {
        tail.stored = true;
        tail.ttl = std::max<Seconds>(0, head.freshness.lifetime - head.freshness.initial_age);
    } else if (client_.forward != cache::Forward::bypass) {
        tail.detail = cache::name(head.verdict);  // why it was not stored
    }
    if (head.freshness.initial_age > 0) tail.age = head.freshness.initial_age;
    tail.connection = connection_field(keep_alive_, client_.http10);
    return tail;
}

std::string ResponseStream::head_text(const proxy::FillHead& head) {
    std::string out;  // a miss-path allocation: one head per streamed response
    out.reserve(head.client_head.size() + 160);
    out += head.client_head;
    if (head.strip_set_cookie && role_ == Role::waiter) {
        // A route's strip_set_cookie: the cookie is the fetching client's alone; a waiter
        // gets the response as it is stored.
        out = cache::without_set_cookie(out);
    }
    if (head.bodyless) {
        framing_ = Framing::none;
        if (!head.origin_content_length.empty())
            out += "Content-Length: " + head.origin_content_length + "\r\n";
    } else if (head.content_length) {
        framing_ = Framing::length;
        out += "Content-Length: " + number(*head.content_length) + "\r\n";
    } else if (!client_.http10) {
        framing_ = Framing::chunked;
        out += "Transfer-Encoding: chunked\r\n";
    } else {
        framing_ = Framing::close_delimited;
        keep_alive_ = false;
    }
    if (client_.head_request) framing_ = Framing::none;
    if (connection_.worker().draining()) keep_alive_ = false;
    const ResponseTail tail = tail_of(head);
    answer_.cache = cache_status_of(head, tail);
    connection_.worker().counters().count(answer_.cache, client_.route_slot);
    append_tail(out, tail);
    head_sent_ = true;
    answer_.status = head.status;
    if (logging_) answer_.origin_us = static_cast<std::int64_t>((uv_hrtime() - started_ns_) / 1000);
    return out;
}

void ResponseStream::send_body_bytes(std::uint64_t upto, std::string prefix) {
    if (framing_ == Framing::none) {
        sent_ = upto;
        if (!prefix.empty()) connection_.write_owned(std::move(prefix));
        return;
    }
    std::vector<proxy::Fill::Slice> slices;  // miss path: a few slices per delivery
    fill_->body_slices(sent_, upto, slices);
    std::uint64_t size = upto - sent_;
    sent_ = upto;
    // Once written, a fill that will not be stored may drop these bytes (release_through).
    if (framing_ == Framing::chunked) {
        connection_.write_slices(std::move(prefix) + number(size, 16) + "\r\n", slices, "\r\n",
                                 fill_, {}, sent_);
    } else {
        connection_.write_slices(std::move(prefix), slices, {}, fill_, {}, sent_);
    }
}

void ResponseStream::send_error(Errc error) {
    int status = is_timeout(error) ? 504 : 502;
    connection_.worker().counters().count(admin::CacheStatus::error, client_.route_slot);
    std::string_view reason = describe(error);
    std::string body = std::string(reason) + "\n";
    std::string out =
        status == 504 ? "HTTP/1.1 504 Gateway Timeout\r\n" : "HTTP/1.1 502 Bad Gateway\r\n";
    out += "Content-Type: text/plain\r\nContent-Length: " + number(body.size()) + "\r\n";
    ResponseTail tail;
    tail.phase = CachePhase::error;
    tail.forward =
        client_.forward == cache::Forward::bypass ? cache::Forward::bypass : cache::Forward::miss;
    tail.detail = reason;
    tail.connection = connection_field(keep_alive_, client_.http10);
    append_tail(out, tail);
    if (!client_.head_request) out += body;
    connection_.write_owned(std::move(out));
    answer_.status = status;
    answer_.cache = admin::CacheStatus::error;
    answer_.body_bytes = client_.head_request ? 0 : body.size();
    finish();
}

void ResponseStream::finish() {
    if (framing_ == Framing::chunked && head_sent_) connection_.write_owned("0\r\n\r\n");
    log_end();
    framing_ = Framing::length;
    bool keep_alive = keep_alive_;
    detach();
    connection_.on_stream_done(keep_alive);
}

void ResponseStream::detach() noexcept {
    if (!fill_) return;
    uv_timer_stop(&wait_timer_);
    fill_->unsubscribe(connection_.worker().index(), *this);
    fill_.reset();
    request_.reset();
    if (origin_) {
        origin_->client_left();
        origin_ = nullptr;
    }
}

void ResponseStream::cancel() noexcept {
    if (fill_ && head_sent_) log_end();  // the client left before the end: what it was sent
    detach();
}

void ResponseStream::log_end() noexcept {
    if (!logging_) return;
    logging_ = false;
    LoggedAnswer answer = answer_;
    if (head_sent_)
        answer.body_bytes = client_.head_request || framing_ == Framing::none ? 0 : sent_;
    answer.duration_us = static_cast<std::int64_t>((uv_hrtime() - started_ns_) / 1000);
    connection_.log_streamed(answer);
}

void ResponseStream::send_body(const char* data, std::size_t size) {
    if (origin_) origin_->send_body(data, size);
}

void ResponseStream::end_body() {
    if (origin_) origin_->end_body();
}

bool ResponseStream::body_backlogged() const noexcept {
    return origin_ != nullptr && origin_->body_backlog() >= (1u << 20);
}

void ResponseStream::on_body_drained() { connection_.resume_reading(); }

std::size_t ResponseStream::response_backlog() const noexcept {
    return connection_.write_backlog();
}

void ResponseStream::on_client_drained() noexcept {
    if (origin_ != nullptr &&
        connection_.write_backlog() <= proxy::OriginConnection::kResponseBacklogLimit / 2) {
        origin_->resume_response();
    }
}

void ResponseStream::on_interim(std::string head) {
    // RFC 9110 §15.2: "Since HTTP/1.0 did not define any 1xx status codes, a server MUST NOT
    // send a 1xx response to an HTTP/1.0 client." And none once the final head is out.
    // A collected response's client gets cachet's own answer, after it.
    if (!fill_ || head_sent_ || client_.http10 || client_.collected) return;
    connection_.write_owned(std::move(head));
}

}  // namespace cachet::server
