#include "admin/origin_probe.hpp"

namespace cachet::admin {

OriginProbe* OriginProbe::start(uv_loop_t* loop, const sockaddr_storage& address, Millis timeout,
                                Done done) {
    auto* probe = new OriginProbe;
    probe->done_ = std::move(done);
    uv_tcp_init(loop, &probe->tcp_);
    uv_timer_init(loop, &probe->timer_);
    probe->tcp_.data = probe->timer_.data = probe->connect_.data = probe;
    probe->open_handles_ = 2;
    int rc =
        uv_tcp_connect(&probe->connect_, &probe->tcp_, reinterpret_cast<const sockaddr*>(&address),
                       [](uv_connect_t* req, int status) {
                           auto* p = static_cast<OriginProbe*>(req->data);
                           if (status == UV_ECANCELED) return;  // closed: finished already
                           p->finish(status == 0 ? std::string() : uv_strerror(status));
                       });
    if (rc != 0) {
        probe->finish(uv_strerror(rc));
        return probe;
    }
    uv_timer_start(
        &probe->timer_,
        [](uv_timer_t* t) { static_cast<OriginProbe*>(t->data)->finish("connect timed out"); },
        timeout, 0);
    return probe;
}

void OriginProbe::cancel() noexcept {
    done_ = nullptr;
    finish({});
}

void OriginProbe::finish(std::string error) {
    if (finished_) return;
    finished_ = true;
    Done done = std::move(done_);
    auto on_closed = [](uv_handle_t* h) {
        auto* p = static_cast<OriginProbe*>(h->data);
        if (--p->open_handles_ == 0) delete p;
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_closed);
    if (done) done(std::move(error));
}

}  // namespace cachet::admin
