#include "admin/admin_connection.hpp"

#include <strings.h>

#include <utility>

#include "admin/admin_server.hpp"
#include "admin/bearer_token.hpp"
#include "admin/routes.hpp"

namespace cachet::admin {
namespace {

std::string_view reason_phrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

AdminConnection* self(llhttp_t* p) { return static_cast<AdminConnection*>(p->data); }

struct OwnedWrite {
    uv_write_t req;
    std::string bytes;
    AdminConnection* connection;
};

}  // namespace

AdminResponse text_response(int status, std::string_view reason, std::string extra_fields) {
    AdminResponse response;
    response.status = status;
    response.body = std::string(reason) + "\n";
    response.extra_fields = std::move(extra_fields);
    return response;
}

AdminConnection::AdminConnection(AdminServer& server)
    : server_(server), waiting_since_(uv_now(server.loop())) {
    uv_tcp_init(server.loop(), &tcp_);
    tcp_.data = this;
    llhttp_init(&parser_, HTTP_REQUEST, &settings());
    parser_.data = this;
}

AdminContext& AdminConnection::context() noexcept { return server_.context(); }

void AdminConnection::accept(AdminServer& server, uv_stream_t* listener) {
    auto* c = new AdminConnection(server);
    if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&c->tcp_)) != 0) {
        c->close();
        return;
    }
    if (!server.add(*c)) {
        c->close();  // every open connection is being answered: this one is refused
        return;
    }
    c->start_reading();
}

void AdminConnection::start_reading() noexcept {
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&tcp_),
        [](uv_handle_t*, size_t, uv_buf_t* buf) {
            static thread_local char buffer[16 * 1024];  // copied out before the next read
            *buf = uv_buf_init(buffer, sizeof buffer);
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
            static_cast<AdminConnection*>(s->data)->on_read(n, buf);
        });
}

void AdminConnection::close() noexcept {
    if (closing_) return;
    closing_ = true;
    if (auto abandon = std::exchange(abandon_, nullptr)) abandon();
    server_.remove(*this);
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_),
             [](uv_handle_t* h) { delete static_cast<AdminConnection*>(h->data); });
}

void AdminConnection::on_read(ssize_t nread, const uv_buf_t* buf) {
    if (nread == 0) return;
    if (nread < 0) {
        if (!busy_ && writes_in_flight_ == 0) {
            close();
        } else {
            close_after_write_ = true;  // answer what was asked, then close
            keep_alive_ = false;
            uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
        }
        return;
    }
    input_.append(buf->base, static_cast<std::size_t>(nread));
    process();
}

void AdminConnection::process() {
    while (!busy_ && !closing_ && !input_.empty()) {
        llhttp_errno_t err = llhttp_execute(&parser_, input_.data(), input_.size());
        if (err == HPE_PAUSED) {
            auto used = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - input_.data());
            input_.erase(0, used);
            llhttp_resume(&parser_);
            dispatch();
            continue;
        }
        if (err == HPE_OK) {
            input_.clear();
            break;
        }
        if (head_too_large_) return fail(431, "request head too large");
        if (body_too_large_) return fail(413, "request body too large (at most 64 KiB)");
        return fail(400, llhttp_get_error_reason(&parser_));
    }
    if (busy_) uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
}

void AdminConnection::dispatch() {
    busy_ = true;
    keep_alive_ = llhttp_should_keep_alive(&parser_) != 0;
    auto target = split_target(request_.target);
    request_.path = target.path;
    request_.query = target.query;
    RouteMatch match = match_route(admin_routes(), request_.method, request_.path);
    if (!match.route) {
        if (match.path_known)
            return respond(text_response(405, "method not allowed; use " + match.allow,
                                         "Allow: " + match.allow + "\r\n"));
        return respond(text_response(404, "no such admin endpoint: " + std::string(target.path)));
    }
    if (match.route->mutating) {
        switch (authorize(request_.authorization, server_.token())) {
        case Authorization::granted: break;
        case Authorization::no_token_configured:
            return respond(text_response(
                403,
                "mutating admin endpoints need a token: start cachet with --admin-token "
                "TOKEN or CACHET_ADMIN_TOKEN=TOKEN"));
        case Authorization::missing:
            return respond(text_response(401, "send Authorization: Bearer <token>",
                                         "WWW-Authenticate: Bearer realm=\"cachet\"\r\n"));
        case Authorization::wrong:
            return respond(text_response(
                401, "wrong token",
                "WWW-Authenticate: Bearer realm=\"cachet\", error=\"invalid_token\"\r\n"));
        }
    }
    match.route->handler(*this);
}

void AdminConnection::respond(AdminResponse response) {
    if (!busy_ || closing_) return;
    abandon_ = nullptr;
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      std::string(reason_phrase(response.status)) + "\r\n";
    out += "Content-Type: " + std::string(response.content_type) + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += "Cache-Control: no-store\r\n";
    out += response.extra_fields;
    if (!keep_alive_) out += "Connection: close\r\n";
    out += "\r\n";
    if (request_.method != http::Method::head) out += response.body;
    const bool keep_alive = keep_alive_;
    request_ = AdminRequest{};
    busy_ = false;
    waiting_since_ = uv_now(server_.loop());  // the next request's time starts now
    write(std::move(out));
    if (!keep_alive) {
        close_after_write_ = true;
        return;
    }
    if (closing_) return;
    start_reading();
    process();
}

void AdminConnection::fail(int status, std::string_view reason) {
    busy_ = true;
    keep_alive_ = false;
    input_.clear();
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    respond(text_response(status, reason));
}

void AdminConnection::write(std::string bytes) {
    auto* w = new OwnedWrite{{}, std::move(bytes), this};
    w->req.data = w;
    uv_buf_t buf = uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
    ++writes_in_flight_;
    int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1,
                      [](uv_write_t* req, int status) {
                          auto* write = static_cast<OwnedWrite*>(req->data);
                          AdminConnection* c = write->connection;
                          delete write;
                          --c->writes_in_flight_;
                          if (c->closing_) return;
                          if (status != 0 || (c->close_after_write_ && c->writes_in_flight_ == 0))
                              c->close();
                      });
    if (rc != 0) {
        --writes_in_flight_;
        delete w;
        close();
    }
}

const llhttp_settings_t& AdminConnection::settings() {
    static const llhttp_settings_t s = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_message_begin = [](llhttp_t* p) {
            auto* c = self(p);
            c->request_ = AdminRequest{};
            c->head_bytes_ = 0;
            c->in_value_ = false;
            c->field_.clear();
            c->value_.clear();
            return 0;
        };
        s.on_url = [](llhttp_t* p, const char* at, std::size_t n) {
            auto* c = self(p);
            c->head_bytes_ += n;
            if (c->head_bytes_ > kMaxHead) return c->head_too_large_ = true, -1;
            c->request_.target.append(at, n);
            return 0;
        };
        s.on_header_field = [](llhttp_t* p, const char* at, std::size_t n) {
            auto* c = self(p);
            c->head_bytes_ += n;
            if (c->head_bytes_ > kMaxHead) return c->head_too_large_ = true, -1;
            if (c->in_value_) {
                c->field_.clear();
                c->value_.clear();
                c->in_value_ = false;
            }
            c->field_.append(at, n);
            return 0;
        };
        s.on_header_value = [](llhttp_t* p, const char* at, std::size_t n) {
            auto* c = self(p);
            c->head_bytes_ += n;
            if (c->head_bytes_ > kMaxHead) return c->head_too_large_ = true, -1;
            c->in_value_ = true;
            c->value_.append(at, n);
            return 0;
        };
        s.on_header_value_complete = [](llhttp_t* p) {
            auto* c = self(p);
            if (strcasecmp(c->field_.c_str(), "authorization") == 0)
                c->request_.authorization = c->value_;
            return 0;
        };
        s.on_headers_complete = [](llhttp_t* p) {
            auto* c = self(p);
            c->request_.method = http::parse_method(
                llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(p))));
            if (p->content_length > kMaxBody) return c->body_too_large_ = true, -1;
            return 0;
        };
        s.on_body = [](llhttp_t* p, const char* at, std::size_t n) {
            auto* c = self(p);
            if (c->request_.body.size() + n > kMaxBody) return c->body_too_large_ = true, -1;
            c->request_.body.append(at, n);
            return 0;
        };
        s.on_message_complete = [](llhttp_t*) { return static_cast<int>(HPE_PAUSED); };
        return s;
    }();
    return s;
}

}  // namespace cachet::admin
