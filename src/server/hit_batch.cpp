#include "server/hit_batch.hpp"

#include <charconv>
#include <cstring>

#include "server/client_connection.hpp"

namespace cachet::server {
namespace {

uv_buf_t buffer_of(std::string_view bytes) noexcept {
    return uv_buf_init(const_cast<char*>(bytes.data()), static_cast<unsigned>(bytes.size()));
}

}  // namespace

bool HitBatch::add(cache::EntryRef entry, const ResponseTail& tail, bool head_only) noexcept {
    if (count == kMaxHits) return false;
    char* tail_bytes = tails[count].data();
    const std::size_t tail_size = write_tail(tails[count], tail);

    const cache::StoredHead head = entry->head();
    bytes +=
        head.shared.size() + head.own.size() + tail_size + (head_only ? 0 : entry->body().size());
    if (!head.shared.empty()) bufs[buf_count++] = buffer_of(head.shared);
    bufs[buf_count++] = buffer_of(head.own);
    bufs[buf_count++] = uv_buf_init(tail_bytes, static_cast<unsigned>(tail_size));
    if (!head_only && !entry->body().empty()) bufs[buf_count++] = buffer_of(entry->body());
    entries[count++] = std::move(entry);
    return true;
}

WriteNow HitBatch::submit(ClientConnection& connection) noexcept {
    uv_buf_t* rest = bufs.data();
    unsigned rest_count = buf_count;
    WriteNow now = connection.send_now(rest, rest_count);
    if (now != WriteNow::partial) return now;
    req.data = this;
    int rc = uv_write(&req, connection.stream(), rest, rest_count, [](uv_write_t* r, int status) {
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
    bytes = 0;
}

}  // namespace cachet::server
