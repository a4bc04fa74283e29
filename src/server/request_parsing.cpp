// How request bytes become a request: the llhttp callbacks that fill request_ with views
// into the read buffer, the checks a request head must pass (RFC 9112), and the answer to
// one that fails them. ClientConnection's reading and writing live in client_connection.cpp.
#include <string>

#include "http/host.hpp"
#include "server/access_log.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {
namespace {

// Fields whose presence makes the request's cache handling depend on the policy.
bool is_cache_directive(std::string_view name) {
    return http::iequals(name, "cache-control") || http::iequals(name, "pragma") ||
           http::iequals(name, "authorization");
}

// The method parsed once: nothing after the parser compares method names.
http::Method method_of(llhttp_method_t method) noexcept {
    switch (method) {
    case HTTP_GET: return http::Method::get;
    case HTTP_HEAD: return http::Method::head;
    case HTTP_POST: return http::Method::post;
    case HTTP_PUT: return http::Method::put;
    case HTTP_DELETE: return http::Method::delete_;
    case HTTP_CONNECT: return http::Method::connect;
    case HTTP_OPTIONS: return http::Method::options;
    case HTTP_TRACE: return http::Method::trace;
    case HTTP_PATCH: return http::Method::patch;
    default: return http::Method::other;
    }
}

bool is_conditional(std::string_view name) {
    return name.size() > 3 && http::iequals(name.substr(0, 3), "if-");
}

}  // namespace

struct ParserCallbacks {
    static ClientConnection* self(llhttp_t* p) { return static_cast<ClientConnection*>(p->data); }
};

const llhttp_settings_t& ClientConnection::parser_settings() {
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        using C = ParserCallbacks;
        s.on_url = [](llhttp_t* p, const char* at, size_t n) { return C::self(p)->on_url(at, n); };
        s.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
            return C::self(p)->on_header_field(at, n);
        };
        s.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
            return C::self(p)->on_header_value(at, n);
        };
        s.on_headers_complete = [](llhttp_t* p) { return C::self(p)->on_headers_complete(); };
        s.on_body = [](llhttp_t* p, const char* at, size_t n) {
            return C::self(p)->on_body(at, n);
        };
        s.on_message_complete = [](llhttp_t* p) { return C::self(p)->on_message_complete(); };
        return s;
    }();
    return settings;
}

// ---------------------------------------------------------------- llhttp callbacks

int ClientConnection::refuse(std::string_view reason, int status) noexcept {
    parse_.refusal = reason;
    parse_.refusal_status = status;
    return -1;  // llhttp stops with an error; process_input answers with the reason
}

int ClientConnection::on_url(const char* at, std::size_t size) {
    if (request_.target.empty())
        request_.target = std::string_view(at, size);
    else
        request_.target = std::string_view(request_.target.data(), request_.target.size() + size);
    return 0;
}

int ClientConnection::on_header_field(const char* at, std::size_t size) {
    if (request_.header_count == 0 || parse_.in_header_value) {
        if (request_.header_count == http::RequestHead::kMaxHeaders) {
            parse_.too_many_headers = true;
            return HPE_USER;
        }
        request_.headers[request_.header_count++] = http::HeaderView{{at, size}, {}};
        parse_.in_header_value = false;
        return 0;
    }
    auto& name = request_.headers[request_.header_count - 1].name;
    name = std::string_view(name.data(), name.size() + size);
    return 0;
}

int ClientConnection::on_header_value(const char* at, std::size_t size) {
    auto& value = request_.headers[request_.header_count - 1].value;
    parse_.in_header_value = true;
    if (value.empty()) {
        value = std::string_view(at, size);
        return 0;
    }
    // A value in more than one piece: llhttp sees a complete head, so the only way to get
    // here is an obs-fold. RFC 9112 §5.2: reject it or replace it with SP; forwarded as
    // is, the next hop could read the fold as a field line of its own.
    value = std::string_view(value.data(), value.size() + size);
    if (value.find_first_of("\r\n") != std::string_view::npos)
        return refuse("obsolete line folding is not accepted");
    return 0;
}

int ClientConnection::on_headers_complete() {
    const auto method = static_cast<llhttp_method_t>(parser_.method);
    request_.method_name = llhttp_method_name(method);
    request_.method = method_of(method);
    if (parse_.query) [[unlikely]] {
        request_.method_name = http::name(http::Method::query);
        request_.method = http::Method::query;
    }
    request_.version_major = parser_.http_major;
    request_.version_minor = parser_.http_minor;
    request_.keep_alive = llhttp_should_keep_alive(&parser_) != 0;
    request_.chunked = (parser_.flags & F_CHUNKED) != 0;
    if (parser_.flags & F_CONTENT_LENGTH) request_.content_length = parser_.content_length;
    request_.has_body = request_.chunked || request_.content_length > 0;
    // RFC 9112 §2.3: only HTTP/1.x is spoken here. RFC 9110 §9.3.6: CONNECT asks for a
    // tunnel, which a reverse proxy does not open; the bytes after it would be tunnel data.
    if (request_.version_major != 1) return refuse("only HTTP/1.0 and HTTP/1.1 are supported", 505);
    if (request_.method == http::Method::connect) return refuse("CONNECT is not supported", 501);
    // Upgrade is hop-by-hop and never forwarded (RFC 9110 §7.8), so the connection stays
    // HTTP/1.1: llhttp must go on parsing the bytes after this request as requests.
    parser_.upgrade = 0;
    int host_lines = 0;
    for (const auto& h : request_.header_span()) {
        if (http::iequals(h.name, "host")) {
            request_.host = h.value;
            ++host_lines;
        } else if (http::iequals(h.name, "expect"))
            request_.expect_continue = http::iequals(h.value, "100-continue");
        else if (is_cache_directive(h.name))
            parse_.cache_directives = true;
        else if (is_conditional(h.name))
            request_.conditional = true;
        else if (http::iequals(h.name, "range"))
            request_.range = true;
    }
    // RFC 9112 §3.2: a 400 for an HTTP/1.1 request without Host, for more than one Host
    // line, and for a Host whose value is not a valid uri-host [":" port].
    if (host_lines > 1) return refuse("more than one Host header");
    if (host_lines == 1 && !http::valid_host(request_.host)) return refuse("invalid Host header");
    // §3.2.2: an absolute-form target's authority replaces Host, for the key and for the
    // request to the origin alike, so a response is stored under the host it came from.
    if (auto authority = http::absolute_form_authority(request_.target)) {
        if (!http::valid_host(*authority)) return refuse("invalid authority in the request target");
        request_.host = *authority;
    }
    if (request_.version_major == 1 && request_.version_minor == 1 && request_.host.empty()) {
        return refuse("missing Host header");
    }
    if (request_.has_body && request_.content_length > HeldRequest::kMaxBody && keys_body())
        return refuse("request body over 1 MiB: too large to be keyed", 413);
    if (request_.has_body) {
        if (request_.expect_continue && request_.version_minor >= 1)
            write_owned("HTTP/1.1 100 Continue\r\n\r\n");
        parse_.phase = RequestPhase::body;
        if (keys_body()) {
            // Keyed on its body too: read to its end, then dispatched (process_input).
            if (!held_) held_ = std::make_unique<HeldRequest>();
            held_->hold_head(request_, buffer_.get() + begin_, head_views_end(request_));
            parse_.held = true;
            return 0;
        }
        // The body streams to the origin as it arrives, so the response starts now.
        dispatch();
    }
    return 0;
}

int ClientConnection::on_body(const char* at, std::size_t size) {
    if (parse_.held) {
        if (!held_->append_body(at, size))
            return refuse("request body over 1 MiB: too large to be keyed", 413);
        return 0;
    }
    stream_.send_body(at, size);
    if (stream_.body_backlogged()) body_paused_ = true;
    return 0;
}

int ClientConnection::on_message_complete() {
    parse_.phase = RequestPhase::parsed;
    if (request_.has_body && !parse_.held) stream_.end_body();
    return HPE_PAUSED;
}

void ClientConnection::reject_request(int status, std::string_view reason) {
    // The request could not be parsed, so nothing after it can be: answer and close.
    // Never read, so never routed: counted under route="none".
    worker_.counters().count(admin::CacheStatus::refused, admin::kNoRouteSlot);
    if (AccessLog* log = worker_.access_log()) [[unlikely]] {
        // request_ is this request's only when llhttp read its head (a head too large was
        // never parsed; a body's error comes after the head's views have moved).
        const bool head_read = parse_.phase == RequestPhase::head && !request_.method_name.empty();
        LoggedRequest request = head_read ? logged_request() : LoggedRequest{};
        request.client = client_ip_;
        log->write(request, {.status = status,
                             .body_bytes = reason.size() + 1,
                             .cache = admin::CacheStatus::refused});
    }
    std::string out = status == 431   ? "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                      : status == 413 ? "HTTP/1.1 413 Content Too Large\r\n"
                      : status == 501 ? "HTTP/1.1 501 Not Implemented\r\n"
                      : status == 505 ? "HTTP/1.1 505 HTTP Version Not Supported\r\n"
                                      : "HTTP/1.1 400 Bad Request\r\n";
    out +=
        "Content-Type: text/plain\r\nContent-Length: " + std::to_string(reason.size() + 1) + "\r\n";
    ResponseTail tail;
    tail.phase = CachePhase::refused;
    tail.detail = reason;
    tail.connection = ConnectionField::close;
    append_tail(out, tail);
    out.append(reason).append("\n");
    write_owned(std::move(out));
    close_after_writes();
    parse_.phase = RequestPhase::between;
    begin_ = end_;
}

}  // namespace cachet::server
