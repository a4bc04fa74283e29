#include "server/hit_batch.hpp"

#include <charconv>
#include <cstring>

#include "server/client_connection.hpp"

namespace cachet::server {
namespace {

char* append(char* out, std::string_view text) noexcept {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
}

uv_buf_t buffer_of(std::string_view bytes) noexcept {
    return uv_buf_init(const_cast<char*>(bytes.data()), static_cast<unsigned>(bytes.size()));
}

}  // namespace

bool HitBatch::add(cache::EntryRef entry, Seconds age, bool head_only, Connection connection,
                   bool stale) noexcept {
    if (count == kMaxHits) return false;
    char* tail = tails[count].data();
    char* out = append(tail, "Age: ");
    out = std::to_chars(out, out + 24, age).ptr;
    out = append(out, stale ? "\r\nCache-Status: cachet; hit; detail=stale\r\n"
                            : "\r\nCache-Status: cachet; hit\r\n");
    if (connection == Connection::close)
        out = append(out, "Connection: close\r\n");
    else if (connection == Connection::keep_alive_explicit)
        out = append(out, "Connection: keep-alive\r\n");
    out = append(out, "\r\n");

    const cache::StoredHead head = entry->head();
    if (!head.shared.empty()) bufs[buf_count++] = buffer_of(head.shared);
    bufs[buf_count++] = buffer_of(head.own);
    bufs[buf_count++] = uv_buf_init(tail, static_cast<unsigned>(out - tail));
    if (!head_only && !entry->body().empty()) bufs[buf_count++] = buffer_of(entry->body());
    entries[count++] = std::move(entry);
    return true;
}

WriteNow HitBatch::submit(uv_stream_t* stream) noexcept {
    uv_buf_t* rest = bufs.data();
    unsigned rest_count = buf_count;
    WriteNow now = write_now(stream, rest, rest_count);
    if (now != WriteNow::partial) return now;
    req.data = this;
    int rc = uv_write(&req, stream, rest, rest_count, [](uv_write_t* r, int status) {
        auto* batch = static_cast<HitBatch*>(r->data);
        ClientConnection* owner = batch->owner;
        batch->clear();
        owner->recycle(batch);
        owner->on_write_done(status);
    });
    return rc == 0 ? WriteNow::partial : WriteNow::failed;
}

void HitBatch::clear() noexcept {
    for (unsigned i = 0; i < count; ++i) entries[i].reset();
    count = 0;
    buf_count = 0;
}

}  // namespace cachet::server
