#include "tls/channel.hpp"

#include <array>
#include <cstring>
#include <string>

namespace cachet::tls {
namespace {

// One TLS record's worth of plaintext (RFC 8446 §5.1). Pieces are gathered into a record
// here, one buffer per thread: nothing per connection, nothing per request.
constexpr std::size_t kRecord = 16 * 1024;
// A piece this large is encrypted from where it lies: the copy would cost more than the
// record boundary it saves.
constexpr std::size_t kDirect = 4 * 1024;
thread_local std::array<char, kRecord> gathered;

struct CipherWrite {
    uv_write_t req;
    std::string bytes;
    WriteDone then;
};

}  // namespace

bool Channel::encrypt(const uv_buf_t* bufs, unsigned count) {
    std::size_t held = 0;
    auto send_held = [&] {
        bool ok = session_.write({gathered.data(), held});
        held = 0;
        return ok;
    };
    for (unsigned i = 0; i < count; ++i) {
        const uv_buf_t& piece = bufs[i];
        if (piece.len >= kDirect) {
            if (held > 0 && !send_held()) return false;
            if (!session_.write({piece.base, piece.len})) return false;
            continue;
        }
        if (held + piece.len > kRecord && !send_held()) return false;
        std::memcpy(gathered.data() + held, piece.base, piece.len);
        held += piece.len;
    }
    return held == 0 || send_held();
}

WriteNow Channel::flush(uv_stream_t* stream, const WriteDone& then) {
    const std::span<const char> out = session_.output();
    if (out.empty()) return WriteNow::done;
    uv_buf_t whole = uv_buf_init(const_cast<char*>(out.data()), static_cast<unsigned>(out.size()));
    uv_buf_t* rest = &whole;
    unsigned rest_count = 1;
    const WriteNow now = write_now(stream, rest, rest_count);
    if (now != WriteNow::partial) {
        session_.consume_output();
        return now;
    }
    auto* write = new CipherWrite{{}, std::string(rest->base, rest->len), then};
    session_.consume_output();
    write->req.data = write;
    uv_buf_t buf = uv_buf_init(write->bytes.data(), static_cast<unsigned>(write->bytes.size()));
    int rc = uv_write(&write->req, stream, &buf, 1, [](uv_write_t* req, int status) {
        auto* done = static_cast<CipherWrite*>(req->data);
        const WriteDone then = done->then;
        delete done;
        if (then.call) then.call(then.owner, then.tag, status);
    });
    if (rc != 0) {
        delete write;
        return WriteNow::failed;
    }
    return WriteNow::partial;
}

}  // namespace cachet::tls
