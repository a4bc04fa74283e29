#include "test_origin/response_sender.hpp"

#include <algorithm>
#include <cstdio>

#include "test_origin/body_pattern.hpp"

namespace cachet::tools {
namespace {

constexpr std::uint64_t max_piece = 256 * 1024;  // bytes per write: one write in flight

}  // namespace

void ResponseSender::start(Connection& conn, ResponsePlan plan) {
    auto sender = std::make_shared<ResponseSender>(conn, std::move(plan));
    // Interim responses go at once, as an origin sends Early Hints while it works on the
    // final response.
    if (!sender->plan_.interim.empty()) conn.write(sender->plan_.interim);
    if (sender->plan_.delay_ms > 0) {
        conn.after(sender->plan_.delay_ms, [sender] { sender->begin(); });
    } else {
        sender->begin();
    }
}

void ResponseSender::begin() {
    switch (plan_.failure) {
    case Failure::reset: conn_.reset(); return;
    case Failure::hang: return;  // the connection stays open and paused on this request
    case Failure::bad_status_line:
    case Failure::bad_header:
    case Failure::bad_length:
    case Failure::folded_header:
        conn_.write(malformed_response(plan_.failure));
        conn_.close_gracefully();
        return;
    case Failure::extra_response: {  // one write, and the connection stays open
        auto self = shared_from_this();
        conn_.write(malformed_response(plan_.failure), [self] { self->done(); });
        return;
    }
    case Failure::none: break;
    }
    send_head(0);
}

// The head at once, or with drip_ms a byte at a time: a slow origin.
void ResponseSender::send_head(std::size_t from) {
    auto self = shared_from_this();
    if (plan_.drip_ms > 0) {
        if (from < plan_.head.size()) {
            conn_.write(plan_.head.substr(from, 1), [self, from] {
                self->conn_.after(self->plan_.drip_ms, [self, from] { self->send_head(from + 1); });
            });
            return;
        }
        after_head();
        return;
    }
    conn_.write(plan_.head, [self] { self->after_head(); });
}

void ResponseSender::after_head() {
    if (plan_.send_body) {
        pump();
    } else {
        done();
    }
}

void ResponseSender::pump() {
    std::uint64_t limit = plan_.truncate_after.value_or(plan_.body_size);
    const bool stall_pending = plan_.stall_ms > 0 && !stalled_;
    if (stall_pending) limit = std::min(limit, plan_.stall_after);
    auto self = shared_from_this();
    if (sent_ < limit) {
        std::uint64_t length = std::min(max_piece, limit - sent_);
        conn_.write(framed_piece(length), [self] { self->pump(); });
        return;
    }
    if (stall_pending && sent_ == plan_.stall_after) {
        stalled_ = true;
        conn_.after(plan_.stall_ms, [self] { self->pump(); });
        return;
    }
    if (plan_.truncate_after) {
        conn_.close_without_notify();
        return;
    }
    if (plan_.framing == Framing::chunked) {
        conn_.write("0\r\n\r\n", [self] { self->done(); });
        return;
    }
    done();
}

void ResponseSender::done() {
    if (plan_.framing == Framing::close_delimited) {
        if (plan_.close_notify) {
            conn_.close_gracefully();
        } else {
            conn_.close_without_notify();
        }
    } else {
        conn_.finish();
    }
}

std::string ResponseSender::framed_piece(std::uint64_t length) {
    auto bytes = [this](std::uint64_t offset, std::uint64_t n) {
        return plan_.pattern_body ? pattern_bytes(plan_.pattern_offset + offset, n)
                                  : plan_.text_body.substr(offset, n);
    };
    if (plan_.framing != Framing::chunked) {
        std::string out = bytes(sent_, length);
        sent_ += length;
        return out;
    }
    std::string out;
    const std::uint64_t end = sent_ + length;
    while (sent_ < end) {
        std::uint64_t n = std::min(plan_.chunk_size, end - sent_);
        char size_line[32];
        std::snprintf(size_line, sizeof size_line, "%llx\r\n", static_cast<unsigned long long>(n));
        out += size_line;
        out += bytes(sent_, n);
        out += "\r\n";
        sent_ += n;
    }
    return out;
}

}  // namespace cachet::tools
