#pragma once
// Where one origin response stands, as OriginConnection reads it: the part of the response
// the bytes are in (ResponsePhase) and the head being collected. No I/O and no fill: the
// llhttp callbacks (response_parsing.cpp) drive the transitions, and the connection
// (origin_connection.cpp) asks the phase what an EOF or an error means.
//
// Transitions (reset() starts every exchange at awaiting_head):
//   awaiting_head --any byte--> head
//   head --1xx head--> interim --its end--> head          (once per interim response)
//   head --final head--> body                             (the fill has the origin's head)
//   head --stored head--> body_discarded                  (a stored response answered the
//                                                          fill; the origin's body is read
//                                                          and dropped, to reuse the connection)
//   body | body_discarded --end--> complete
// The head bytes live in one string indexed by offsets, valid across reads (unlike llhttp's
// pointers into each read buffer); reset() keeps its capacity, so a kept-alive connection
// collects head after head without an allocation.
#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/header_view.hpp"
#include "util/errc.hpp"

namespace cachet::proxy {

enum class ResponsePhase : std::uint8_t {
    awaiting_head,   // nothing of the response yet: a closed reused connection may be retried
    head,            // head bytes arriving
    interim,         // inside a 1xx response (RFC 9110 §15.2); the final head follows
    body,            // the final head is the fill's; body bytes feed it
    body_discarded,  // a stored response stands in for this one
    complete,        // the final response ended
};

class OriginExchange {
public:
    static constexpr std::size_t kMaxFields = 256;
    static constexpr std::size_t kMaxHeadBytes = 64u << 10;

    void reset() noexcept {
        phase_ = ResponsePhase::awaiting_head;
        keep_alive_ = false;
        clear_head();
    }
    ResponsePhase phase() const noexcept { return phase_; }
    // Any byte of the response arrived.
    bool started() const noexcept { return phase_ != ResponsePhase::awaiting_head; }
    // The fill has a head (the origin's or a stored one): a failure now truncates it.
    bool head_published() const noexcept {
        return phase_ == ResponsePhase::body || phase_ == ResponsePhase::body_discarded ||
               phase_ == ResponsePhase::complete;
    }
    // The error to report for a failure of the connection: `before_head` until the fill has
    // a head, then origin_truncated.
    Errc failure(Errc before_head) const noexcept {
        return head_published() ? Errc::origin_truncated : before_head;
    }
    // Whether the connection may carry another exchange (known once complete).
    bool keep_alive() const noexcept { return keep_alive_; }

    // --- transitions (inline: a few per response, on the pass-through path) ---
    void on_bytes() noexcept {
        if (phase_ == ResponsePhase::awaiting_head) phase_ = ResponsePhase::head;
    }
    void on_interim_head() noexcept {  // also forgets the 1xx's head
        assert(phase_ == ResponsePhase::head);
        phase_ = ResponsePhase::interim;
        clear_head();
    }
    void on_final_head() noexcept {
        assert(phase_ == ResponsePhase::head);
        phase_ = ResponsePhase::body;
    }
    void on_stored_head() noexcept {
        assert(phase_ == ResponsePhase::head);
        phase_ = ResponsePhase::body_discarded;
    }
    // The message llhttp just ended: false for a 1xx (the final response follows), true for
    // the final response, which completes the exchange.
    bool on_message_end(bool keep_alive) noexcept {
        if (phase_ == ResponsePhase::interim) {
            phase_ = ResponsePhase::head;
            return false;
        }
        assert(phase_ == ResponsePhase::body || phase_ == ResponsePhase::body_discarded);
        phase_ = ResponsePhase::complete;
        keep_alive_ = keep_alive;
        return true;
    }
    // Bytes came after the complete response: the origin cannot be trusted with another.
    void refuse_reuse() noexcept { keep_alive_ = false; }

    // --- the head being collected; false: past a limit, or a value before any name ---
    // Inline: llhttp calls them for every piece of every response head.
    void add_reason(std::string_view piece);
    bool add_field_name(std::string_view piece);
    bool add_field_value(std::string_view piece);
    std::string_view reason() const noexcept {
        return std::string_view(head_bytes_.data() + reason_at_, reason_len_);
    }
    // Views into the collected head, valid until the next add, fields() or reset. Built in
    // a vector the exchange keeps, so a kept-alive connection allocates none per response.
    http::HeaderSpan fields();

private:
    void clear_head() noexcept {
        head_bytes_.clear();
        fields_.clear();
        in_value_ = false;
        reason_at_ = reason_len_ = 0;
    }

    struct FieldOffsets {
        std::uint32_t name_at, name_len, value_at, value_len;
    };
    ResponsePhase phase_ = ResponsePhase::awaiting_head;
    bool keep_alive_ = false;
    bool in_value_ = false;  // the last piece was a value: a name piece starts a new field
    std::string head_bytes_;
    std::vector<FieldOffsets> fields_;
    std::vector<http::HeaderView> views_;  // fields() of the head, rebuilt on each call
    std::uint32_t reason_at_ = 0, reason_len_ = 0;
};

inline void OriginExchange::add_reason(std::string_view piece) {
    if (reason_len_ == 0) reason_at_ = static_cast<std::uint32_t>(head_bytes_.size());
    head_bytes_.append(piece);
    reason_len_ += static_cast<std::uint32_t>(piece.size());
}

inline bool OriginExchange::add_field_name(std::string_view piece) {
    if (fields_.empty() || in_value_) {
        if (fields_.size() >= kMaxFields) return false;
        auto offset = static_cast<std::uint32_t>(head_bytes_.size());
        fields_.push_back(FieldOffsets{offset, 0, offset, 0});
        in_value_ = false;
    }
    head_bytes_.append(piece);
    fields_.back().name_len += static_cast<std::uint32_t>(piece.size());
    fields_.back().value_at = static_cast<std::uint32_t>(head_bytes_.size());
    return true;
}

inline bool OriginExchange::add_field_value(std::string_view piece) {
    if (fields_.empty()) return false;
    in_value_ = true;
    const std::size_t from = head_bytes_.size();
    head_bytes_.append(piece);
    // A value's later piece comes after a read boundary or an obs-fold, which llhttp hands
    // over inside the value. RFC 9112 §5.2 lets a proxy replace each fold with SP instead
    // of failing the response: the value then reads as one line downstream, never as a
    // field line of its own. (A first piece holds no line break.)
    if (fields_.back().value_len > 0) {
        for (std::size_t i = from; i < head_bytes_.size(); ++i) {
            if (head_bytes_[i] == '\r' || head_bytes_[i] == '\n') head_bytes_[i] = ' ';
        }
    }
    fields_.back().value_len += static_cast<std::uint32_t>(piece.size());
    return head_bytes_.size() <= kMaxHeadBytes;
}

}  // namespace cachet::proxy
