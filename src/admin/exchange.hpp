#pragma once
// One admin request and its answer, as an endpoint's handler sees them (admin/endpoints.cpp).
// A handler answers with respond(), at once or later from a callback on the admin loop
// (e.g. after an origin probe); the connection reads nothing more until it has.
#include <functional>
#include <string>
#include <string_view>

#include <uv.h>

#include "admin/counters.hpp"
#include "http/method.hpp"

namespace cachet::server {
class Runtime;
}

namespace cachet::admin {

struct AdminRequest {
    http::Method method = http::Method::other;
    std::string target;  // as sent
    std::string_view path;
    std::string_view query;
    std::string authorization;  // the Authorization field's value, "" when absent
    std::string body;           // at most kMaxBody bytes
};

struct AdminResponse {
    int status = 200;
    std::string_view content_type = "text/plain; charset=utf-8";
    std::string body;
    std::string extra_fields;  // whole lines, each ending in CRLF (Allow, WWW-Authenticate)
};

// What handlers reach: the workers (through the runtime), the admin loop, and the admin
// thread's own counter block (written only on the admin thread: purges).
struct AdminContext {
    server::Runtime& runtime;
    uv_loop_t* loop;
    WorkerCounters& counters;
};

// A one-line text answer: "reason\n".
AdminResponse text_response(int status, std::string_view reason, std::string extra_fields = {});

class AdminExchange {
public:
    virtual ~AdminExchange() = default;
    virtual const AdminRequest& request() const noexcept = 0;
    virtual AdminContext& context() noexcept = 0;
    // Once per request. A HEAD's body is dropped here, its Content-Length kept.
    virtual void respond(AdminResponse response) = 0;
    // Called instead of a late respond() when the connection closes first (shutdown, a
    // client gone): a deferred handler cancels its work here.
    virtual void on_abandon(std::function<void()> cancel) = 0;
};

}  // namespace cachet::admin
