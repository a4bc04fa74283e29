#include "proxy/origin_exchange.hpp"

#include <cassert>

namespace cachet::proxy {

void OriginExchange::reset() noexcept {
    phase_ = ResponsePhase::awaiting_head;
    keep_alive_ = false;
    clear_head();
}

void OriginExchange::clear_head() noexcept {
    head_bytes_.clear();
    fields_.clear();
    in_value_ = false;
    reason_at_ = reason_len_ = 0;
}

void OriginExchange::on_bytes() noexcept {
    if (phase_ == ResponsePhase::awaiting_head) phase_ = ResponsePhase::head;
}

void OriginExchange::on_interim_head() noexcept {
    assert(phase_ == ResponsePhase::head);
    phase_ = ResponsePhase::interim;
    clear_head();
}

void OriginExchange::on_final_head() noexcept {
    assert(phase_ == ResponsePhase::head);
    phase_ = ResponsePhase::body;
}

void OriginExchange::on_stored_head() noexcept {
    assert(phase_ == ResponsePhase::head);
    phase_ = ResponsePhase::body_discarded;
}

bool OriginExchange::on_message_end(bool keep_alive) noexcept {
    if (phase_ == ResponsePhase::interim) {
        phase_ = ResponsePhase::head;
        return false;
    }
    assert(phase_ == ResponsePhase::body || phase_ == ResponsePhase::body_discarded);
    phase_ = ResponsePhase::complete;
    keep_alive_ = keep_alive;
    return true;
}

void OriginExchange::add_reason(std::string_view piece) {
    if (reason_len_ == 0) reason_at_ = static_cast<std::uint32_t>(head_bytes_.size());
    head_bytes_.append(piece);
    reason_len_ += static_cast<std::uint32_t>(piece.size());
}

bool OriginExchange::add_field_name(std::string_view piece) {
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

bool OriginExchange::add_field_value(std::string_view piece) {
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

std::vector<http::HeaderView> OriginExchange::fields() const {
    std::vector<http::HeaderView> views;  // miss path: one per response head
    views.reserve(fields_.size());
    const char* base = head_bytes_.data();
    for (const auto& f : fields_) {
        views.push_back(
            http::HeaderView{{base + f.name_at, f.name_len}, {base + f.value_at, f.value_len}});
    }
    return views;
}

}  // namespace cachet::proxy
