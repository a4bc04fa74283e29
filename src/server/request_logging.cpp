// How a connection's answered requests reach its worker's access log (access_log.hpp): the
// request's fields as the line shows them, and the line of a response written at once or,
// for a streamed one, at its end. Only called when the log is on.
#include "http/header_view.hpp"
#include "server/access_log.hpp"
#include "server/client_connection.hpp"
#include "server/worker.hpp"

namespace cachet::server {

LoggedRequest ClientConnection::logged_request() const noexcept {
    LoggedRequest logged;
    logged.client = client_ip_;
    logged.method = request_.method_name;
    logged.target = request_.target;
    logged.host = request_.host;
    logged.version_major = request_.version_major;
    logged.version_minor = request_.version_minor;
    for (const auto& field : request_.header_span()) {
        if (logged.user_agent.empty() && http::iequals(field.name, "user-agent"))
            logged.user_agent = field.value;
        else if (logged.referer.empty() && http::iequals(field.name, "referer"))
            logged.referer = field.value;
    }
    return logged;
}

void ClientConnection::log_answer(AccessLog& log, const LoggedAnswer& answer) noexcept {
    log.write(logged_request(), answer);
}

void ClientConnection::log_streamed(const LoggedAnswer& answer) noexcept {
    AccessLog* log = worker_.access_log();
    if (log != nullptr && streamed_request_) log->write(streamed_request_->request(), answer);
}

}  // namespace cachet::server
