#pragma once
// A blocking HTTP/1.1 client on raw loopback sockets, for tests: it can send any bytes (pipelined
// requests, malformed ones), reads responses one at a time with poll() deadlines, and reports
// closes, resets and timeouts as values in the Reply.
#include <string>
#include <string_view>
#include <vector>

#include "harness/deadline.hpp"
#include "harness/reply.hpp"

namespace cachet::integration {

// "GET /a HTTP/1.1" with Host: 127.0.0.1 and, when body is not empty, Content-Length. Each extra
// header is a whole "Name: value" line without CRLF.
std::string http_request(std::string_view method, std::string_view target,
                         const std::vector<std::string>& headers = {}, std::string_view body = {});

// A non-blocking TCP socket connected to 127.0.0.1:port with TCP_NODELAY, or -1 and `error`
// set when refused or timed out. The caller closes it.
int connect_loopback(int port, Deadline deadline, std::string& error);

class HttpConnection {
public:
    // Connects to 127.0.0.1:port; connected() is false when refused or timed out.
    HttpConnection(int port, Deadline deadline);
    HttpConnection(HttpConnection&& other) noexcept;
    HttpConnection& operator=(HttpConnection&&) = delete;
    HttpConnection(const HttpConnection&) = delete;
    ~HttpConnection();

    bool connected() const noexcept { return fd_ >= 0; }
    const std::string& connect_error() const noexcept { return connect_error_; }

    // Writes all bytes; false when the peer closed or reset, or the deadline passed.
    bool send(std::string_view bytes, Deadline deadline);
    // Reads the next response. `head_request`: the response has no body.
    Reply read_response(Deadline deadline, bool head_request = false);
    // send + read_response.
    Reply exchange(std::string_view request, Deadline deadline, bool head_request = false);
    // True when the peer closes (FIN or RST) before the deadline without sending more bytes; false
    // on timeout or when bytes arrive instead.
    bool wait_closed(Deadline deadline);
    // Bytes read past the last response (should be empty between responses).
    const std::string& pending() const noexcept { return buffer_; }

private:
    int fd_ = -1;
    std::string connect_error_;
    std::string buffer_;  // read, not yet consumed by a response
    bool eof_ = false;
    bool reset_ = false;
    Clock::time_point sent_at_{};
};

// One request on a fresh connection: the common case in tests.
Reply fetch(int port, std::string_view request, Clock::duration timeout = 10s,
            bool head_request = false);
// GET target with optional extra header lines.
Reply get(int port, std::string_view target, const std::vector<std::string>& headers = {},
          Clock::duration timeout = 10s);

}  // namespace cachet::integration
