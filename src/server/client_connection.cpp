#include "server/client_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "http/query_method.hpp"
#include "server/worker.hpp"
#include "tls/server_certificate.hpp"

namespace cachet::server {
namespace {

constexpr std::size_t kInitialBuffer = 4 * 1024;  // grows to kMaxHead for a large head
constexpr std::size_t kMaxHead = 64 * 1024;       // larger request heads get 431
constexpr std::size_t kWriteBacklogLimit = 4u
                                           << 20;  // unsent response bytes before we stop reading

// Allocation for streamed (miss-path) writes: owns its prefix and keeps the fill alive.
struct OwnedWrite {
    uv_write_t req;
    ClientConnection* owner;
    std::string bytes;
    proxy::FillRef fill;             // keeps the slices' chunks alive
    std::uint64_t fill_through = 0;  // then tells the fill its bytes below this are written
    cache::EntryRef entry;           // or the entry they point into
    std::vector<uv_buf_t> bufs;

    void release_fill() {
        if (fill && fill_through > 0) fill->release_through(fill_through);
    }
};

std::string peer_ip(uv_tcp_t* tcp) {
    sockaddr_storage address{};
    int length = sizeof address;
    if (uv_tcp_getpeername(tcp, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return "unknown";
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        uv_ip4_name(reinterpret_cast<sockaddr_in*>(&address), text, sizeof text);
    } else {
        uv_ip6_name(reinterpret_cast<sockaddr_in6*>(&address), text, sizeof text);
    }
    return text;
}

}  // namespace

ClientConnection::ClientConnection(Worker& worker) : worker_(worker), stream_(*this) {}

void ClientConnection::accept(Worker& worker, uv_stream_t* listener,
                              tls::ServerCertificate* certificate) {
    auto* c = new ClientConnection(worker);  // owns itself until its close callbacks run
    uv_tcp_init(worker.loop(), &c->tcp_);
    c->tcp_.data = c;
    c->stream_.init_timer(worker.loop());
    c->open_handles_ = 2;
    worker.add(*c);
    if (uv_accept(listener, c->stream()) != 0) {
        c->close();
        return;
    }
    uv_tcp_nodelay(&c->tcp_, 1);
    c->client_ip_ = peer_ip(&c->tcp_);
    c->capacity_ = kInitialBuffer;
    c->buffer_ = std::make_unique<char[]>(c->capacity_);
    llhttp_init(&c->parser_, HTTP_REQUEST, &parser_settings());
    c->parser_.data = c;
    c->last_activity_ = worker.clock().monotonic_ms();
    if (certificate) {
        tls::Session session = certificate->accept();
        if (!session) return c->close();
        c->tls_ = std::make_unique<tls::Channel>(std::move(session));
        // The handshake has --client-timeout from the connection's start, as a head has.
        c->head_started_ = c->last_activity_;
    }
    c->update_reading();
}

void ClientConnection::close() noexcept {
    if (closing_ == Closing::closed) return;
    closing_ = Closing::closed;
    if (tls_) say_goodbye();
    stream_.cancel();
    worker_.remove(*this);
    auto on_closed = [](uv_handle_t* h) {
        static_cast<ClientConnection*>(h->data)->handle_closed();
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_closed);
    stream_.close_timer(this, on_closed);
    if (delay_.close([](void* self) { static_cast<ClientConnection*>(self)->handle_closed(); }))
        ++open_handles_;
    if (tls_resume_.close(
            [](void* self) { static_cast<ClientConnection*>(self)->handle_closed(); }))
        ++open_handles_;
}

void ClientConnection::handle_closed() {
    if (--open_handles_ > 0) return;
    if (batch_) delete batch_;
    while (free_batches_) delete std::exchange(free_batches_, free_batches_->next_free);
    delete this;
}

// ---------------------------------------------------------------- reading

void ClientConnection::update_reading() {
    if (closing_ == Closing::closed) return;
    // Not while a replayed answer waits: its request's views are in the buffer.
    bool want = !peer_closed_ && !body_paused_ && !delay_.active() && end_ - begin_ < capacity_ &&
                uv_stream_get_write_queue_size(stream()) < kWriteBacklogLimit;
    if (want == reading_) return;
    reading_ = want;
    if (!want) {
        uv_read_stop(stream());
        return;
    }
    if (tls_ && tls_->session().holds_input()) resume_tls_later();
    uv_read_start(
        stream(),
        [](uv_handle_t* h, size_t, uv_buf_t* buf) {
            static_cast<ClientConnection*>(h->data)->handle_alloc(buf);
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
            static_cast<ClientConnection*>(s->data)->handle_read(n);
        });
}

void ClientConnection::resume_reading() noexcept {
    body_paused_ = false;
    update_reading();
}

void ClientConnection::make_room() noexcept {
    if (begin_ > 0 && (begin_ == end_ || end_ == capacity_)) {
        // Reclaim parsed bytes. No view into the buffer outlives process_input(): requests
        // are dispatched (and what must last is copied) before it returns.
        std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
        end_ -= begin_;
        scan_from_ = scan_from_ > begin_ ? scan_from_ - begin_ : 0;
        begin_ = 0;
    }
}

void ClientConnection::handle_alloc(uv_buf_t* buf) {
    if (tls_) [[unlikely]] {
        *buf = worker_.cipher_buffer();  // decrypted into buffer_ as it is read
        return;
    }
    make_room();
    *buf = uv_buf_init(buffer_.get() + end_, static_cast<unsigned>(capacity_ - end_));
}

void ClientConnection::handle_read(ssize_t nread) {
    if (tls_) [[unlikely]]
        return handle_ciphertext(nread);
    if (nread == 0) return;
    if (nread < 0) return on_read_end(nread);
    take_input(static_cast<std::size_t>(nread));
}

void ClientConnection::on_read_end(ssize_t status) {
    if (status != UV_EOF) return close();
    peer_closed_ = true;
    reading_ = false;
    uv_read_stop(stream());
    process_input();
    finish_if_closing();
}

void ClientConnection::take_input(std::size_t size) {
    end_ += size;
    admin::bump(worker_.counters().client_received_bytes, size);
    last_activity_ = worker_.clock().monotonic_ms();
    process_input();
}

bool ClientConnection::find_head() {
    // Feed llhttp only complete heads, so every header view is contiguous in buffer_.
    std::size_t from = std::max(begin_, scan_from_ >= 3 ? scan_from_ - 3 : 0);
    std::string_view pending(buffer_.get() + from, end_ - from);
    // A head ended by bare LFs goes to llhttp too, which refuses it (strict mode) at once
    // rather than leaving the client to wait for a CRLF that never comes.
    if (pending.find("\r\n\r\n") != std::string_view::npos) return true;
    if (pending.find("\n\n") != std::string_view::npos) return true;
    scan_from_ = end_;
    if (head_started_ == 0) head_started_ = worker_.clock().monotonic_ms();
    if (end_ - begin_ < kMaxHead) {
        if (end_ == capacity_ && begin_ == 0) {  // grow once the head outgrows the buffer
            auto bigger = std::make_unique<char[]>(kMaxHead);
            std::memcpy(bigger.get(), buffer_.get(), end_);
            buffer_ = std::move(bigger);
            capacity_ = kMaxHead;
        }
        return false;
    }
    reject_request(431, describe(Errc::header_too_large));
    return false;
}

void ClientConnection::process_input() {
    while (closing_ == Closing::no) {
        // Keep responses in order: the next request waits for this one's to be under way.
        if ((stream_.active() || delay_.active()) && !parse_.unfinished()) break;
        if (!parse_.in_message()) {
            if (begin_ == end_ || !find_head()) break;
            parse_.begin();
            head_started_ = 0;
            request_.reset();
            rpc_id_.clear();
        }
        const char* start = buffer_.get() + begin_;
        llhttp_errno_t err = llhttp_execute(&parser_, start, end_ - begin_);
        if (err == HPE_OK) {
            begin_ = end_;
            // Only empty lines before a request (else its body is still arriving).
            if (parse_.phase == RequestPhase::head) parse_.phase = RequestPhase::between;
            break;
        }
        if (err == HPE_INVALID_METHOD && !parse_.query &&
            http::mask_query_method(buffer_.get() + begin_, end_ - begin_)) [[unlikely]] {
            // llhttp refused QUERY at its first byte: the same head again, its method
            // masked (http/query_method.hpp). Known methods never come this way.
            parse_.query = true;
            llhttp_reset(&parser_);
            continue;
        }
        if (err != HPE_PAUSED) {
            if (parse_.too_many_headers) {
                reject_request(431, describe(Errc::header_too_large));
            } else if (!parse_.refusal.empty()) {
                reject_request(parse_.refusal_status, parse_.refusal);
            } else if (err == HPE_PAUSED_H2_UPGRADE) {
                reject_request(505, "HTTP/2 is not supported; use HTTP/1.1");  // the h2 preface
            } else {
                reject_request(400, llhttp_get_error_reason(&parser_));
            }
            break;
        }
        begin_ = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - buffer_.get());
        scan_from_ = begin_;
        llhttp_resume(&parser_);
        parse_.phase = RequestPhase::between;
        bool keep_alive = request_.keep_alive;
        // One with a body was dispatched at its head, unless it was held to be keyed.
        if (!request_.has_body || parse_.held) dispatch();
        if (!keep_alive && !stream_.active() && !delay_.active()) {
            close_after_writes();
        }
    }
    if (!flush_hits()) return;
    update_reading();
    finish_if_closing();
}

bool ClientConnection::flush_hits() {
    if (!batch_ || batch_->empty()) return true;
    HitBatch* batch = std::exchange(batch_, nullptr);
    if (writes_in_flight_++ == 0) last_write_progress_ = worker_.clock().monotonic_ms();
    admin::bump(worker_.counters().client_sent_bytes, batch->bytes);
    WriteNow result = batch->submit(*this);
    if (result == WriteNow::partial) return true;  // completes in on_write_done
    --writes_in_flight_;
    batch->clear();
    recycle(batch);
    if (result == WriteNow::done) return true;
    close();
    return false;
}

void ClientConnection::on_stream_done(bool keep_alive) {
    if (parse_.unfinished()) keep_alive = false;  // its body was not read to the end
    if (!keep_alive) close_after_writes();
    // Continue with pipelined requests (this runs from a mailbox callback, not from llhttp).
    process_input();
}

// ---------------------------------------------------------------- writing

void ClientConnection::write_owned(std::string bytes) {
    write_slices(std::move(bytes), {}, {}, {});
}

void ClientConnection::write_slices(std::string prefix,
                                    const std::vector<proxy::Fill::Slice>& slices,
                                    std::string_view suffix, proxy::FillRef fill,
                                    cache::EntryRef entry, std::uint64_t fill_through) {
    if (closing_ == Closing::closed || !flush_hits()) return;
    auto* w = new OwnedWrite{
        {}, this, std::move(prefix), std::move(fill), fill_through, std::move(entry), {}};
    w->bufs.reserve(slices.size() + 2);
    if (!w->bytes.empty())
        w->bufs.push_back(uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size())));
    for (const auto& s : slices)
        w->bufs.push_back(uv_buf_init(const_cast<char*>(s.data), static_cast<unsigned>(s.size)));
    if (!suffix.empty())
        w->bufs.push_back(
            uv_buf_init(const_cast<char*>(suffix.data()), static_cast<unsigned>(suffix.size())));
    std::uint64_t bytes = 0;
    for (const uv_buf_t& b : w->bufs) bytes += b.len;
    admin::bump(worker_.counters().client_sent_bytes, bytes);
    uv_buf_t* rest = w->bufs.data();
    auto rest_count = static_cast<unsigned>(w->bufs.size());
    WriteNow now = send_now(rest, rest_count);
    if (now != WriteNow::partial) {
        if (now == WriteNow::done) w->release_fill();
        delete w;
        if (now == WriteNow::failed) close();
        return;
    }
    w->req.data = w;
    if (writes_in_flight_++ == 0) last_write_progress_ = worker_.clock().monotonic_ms();
    int rc = uv_write(&w->req, stream(), rest, rest_count, [](uv_write_t* req, int status) {
        auto* write = static_cast<OwnedWrite*>(req->data);
        ClientConnection* owner = write->owner;
        if (status == 0) write->release_fill();
        delete write;
        owner->on_write_done(status);
    });
    if (rc != 0) {
        --writes_in_flight_;
        delete w;
        close();
    }
}

void ClientConnection::recycle(HitBatch* batch) noexcept {
    batch->next_free = free_batches_;
    free_batches_ = batch;
}

void ClientConnection::on_write_done(int status) {
    --writes_in_flight_;
    if (closing_ == Closing::closed) return;
    if (status != 0) {
        close();
        return;
    }
    last_write_progress_ = worker_.clock().monotonic_ms();
    stream_.on_client_drained();
    update_reading();
    finish_if_closing();
}

void ClientConnection::finish_if_closing() {
    if (closing_ == Closing::closed || writes_in_flight_ > 0 || stream_.active() || delay_.active())
        return;
    if (closing_ == Closing::after_writes || (peer_closed_ && !parse_.in_message())) close();
}

}  // namespace cachet::server
