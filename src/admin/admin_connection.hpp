#pragma once
// One client of the admin API: llhttp parses each request (heads up to kMaxHead bytes,
// bodies up to kMaxBody, 431 / 413 past them), the route table picks the handler, and the
// answer leaves with Content-Length, the connection kept alive unless the client asked
// otherwise. Requests are answered one at a time, in order. It ends its own life: close()
// -> close callback -> delete. The server's sweep closes it when it has waited too long for
// a whole request (waited_too_long), reads not counting: a head sent a byte at a time
// cannot hold it.
#include <cstddef>
#include <functional>
#include <string>

#include <llhttp.h>
#include <uv.h>

#include "admin/exchange.hpp"
#include "util/time.hpp"

namespace cachet::admin {

class AdminServer;

class AdminConnection final : public AdminExchange {
public:
    static constexpr std::size_t kMaxHead = 8 * 1024;
    static constexpr std::size_t kMaxBody = 64 * 1024;

    static void accept(AdminServer& server, uv_stream_t* listener);
    void close() noexcept;

    const AdminRequest& request() const noexcept override { return request_; }
    AdminContext& context() noexcept override;
    void respond(AdminResponse response) override;
    void on_abandon(std::function<void()> cancel) override {
        if (busy_) abandon_ = std::move(cancel);  // not when the handler has answered already
    }

    // Waiting for a request (none being answered, nothing being written): one the server
    // may close to make room, the one with the oldest waiting_since() first.
    bool waiting() const noexcept { return !busy_ && writes_in_flight_ == 0 && !closing_; }
    Millis waiting_since() const noexcept { return waiting_since_; }
    // No whole request within `timeout` of opening or of the last answer (loop time, ms).
    // A handler still answering (an origin probe: bounded by its own timer) is not timed.
    bool waited_too_long(Millis now, Millis timeout) const noexcept {
        return !busy_ && now - waiting_since_ >= timeout;
    }

    AdminConnection* next = nullptr;  // the server's list of open connections
    AdminConnection* prev = nullptr;

private:
    explicit AdminConnection(AdminServer& server);
    ~AdminConnection() override = default;

    void start_reading() noexcept;
    void on_read(ssize_t nread, const uv_buf_t* buf);
    void process();
    void dispatch();
    void write(std::string bytes);
    void fail(int status, std::string_view reason);

    static const llhttp_settings_t& settings();

    AdminServer& server_;
    uv_tcp_t tcp_;
    llhttp_t parser_;
    std::string input_;  // received, not yet parsed
    AdminRequest request_;
    std::string field_;  // the header field being read
    std::string value_;
    bool in_value_ = false;
    std::size_t head_bytes_ = 0;
    bool body_too_large_ = false;
    bool head_too_large_ = false;
    bool busy_ = false;  // a request is being answered
    bool keep_alive_ = true;
    bool close_after_write_ = false;
    bool closing_ = false;
    int writes_in_flight_ = 0;
    Millis waiting_since_ = 0;  // uv_now when it opened or last answered
    std::function<void()> abandon_;
};

}  // namespace cachet::admin
