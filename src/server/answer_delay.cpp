#include "server/answer_delay.hpp"

namespace cachet::server {

void AnswerDelay::start(uv_loop_t* loop, std::uint64_t ms, void* owner, Callback on_over) {
    if (!timer_) {
        timer_ = std::make_unique<uv_timer_t>();
        uv_timer_init(loop, timer_.get());
        timer_->data = this;
    }
    owner_ = owner;
    on_over_ = on_over;
    active_ = true;
    uv_timer_start(
        timer_.get(),
        [](uv_timer_t* t) {
            auto* self = static_cast<AnswerDelay*>(t->data);
            self->active_ = false;
            self->on_over_(self->owner_);
        },
        ms, 0);
}

bool AnswerDelay::close(Callback on_closed) noexcept {
    active_ = false;
    if (!timer_) return false;
    on_closed_ = on_closed;
    uv_close(reinterpret_cast<uv_handle_t*>(timer_.get()), [](uv_handle_t* h) {
        auto* self = static_cast<AnswerDelay*>(h->data);
        self->on_closed_(self->owner_);
    });
    return true;
}

}  // namespace cachet::server
