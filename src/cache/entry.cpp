// An entry is two malloc blocks: the Entry header with the key and the entry's own head
// lines, and the body. The body's block is exactly its size, which for the common sizes
// (1 KiB, 4 KiB, ...) is a size class, so the allocator's rounding falls on the small
// block only; the head lines that repeat across entries are shared (cache/shared_head.hpp).
#include "cache/entry.hpp"

#include <malloc.h>

#include <cassert>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "cache/head_split.hpp"

namespace cachet::cache {

namespace {

// The bytes that follow the header: key, then the entry's own head lines.
char* payload(Entry* e) noexcept { return reinterpret_cast<char*>(e + 1); }
const char* payload(const Entry* e) noexcept { return reinterpret_cast<const char*>(e + 1); }

void* allocate_or_abort(std::size_t size) {
    void* block = std::malloc(size);
    if (block == nullptr) std::abort();  // out of memory may abort (STYLE.md)
    return block;
}

}  // namespace

std::string StoredHead::text() const {
    std::string joined;
    joined.reserve(shared.size() + own.size());
    joined.append(shared).append(own);
    return joined;
}

EntryRef Entry::create(const Spec& spec) { return allocate(spec, spec.head, SharedHeadRef()); }

EntryRef Entry::create(const Spec& spec, SharedHeads& shared) {
    SplitHead split = split_head(spec.head);
    return allocate(spec, split.own,
                    split.shared.empty() ? SharedHeadRef() : shared.intern(split.shared));
}

EntryRef Entry::allocate(const Spec& spec, std::string_view own_head, SharedHeadRef shared) {
    static_assert(sizeof(Entry) == 96, "the header's layout is counted (docs/architecture.md)");
    static_assert(offsetof(Entry, lru_next_) + sizeof(lru_next_) <= 64,
                  "a lookup reads one cache line of the header");
    assert(spec.key.size() <= std::numeric_limits<std::uint16_t>::max());
    assert(own_head.size() <= std::numeric_limits<std::uint32_t>::max());
    assert(spec.body_size <= max_body_size);
    assert(spec.status >= 0 && spec.status < (1 << 15));

    auto* e = new (allocate_or_abort(sizeof(Entry) + spec.key.size() + own_head.size())) Entry();
    e->key_size_ = static_cast<std::uint16_t>(spec.key.size());
    e->own_head_size_ = static_cast<std::uint32_t>(own_head.size());
    e->status_ = static_cast<std::uint16_t>(spec.status) & 0x7fff;
    e->vary_marker_ = spec.vary_marker ? 1 : 0;
    e->hash_ = spec.hash;
    e->response_time_ = stored_seconds(spec.freshness.response_time);
    e->initial_age_ = stored_seconds(spec.freshness.initial_age);
    e->lifetime_.store(stored_seconds(spec.freshness.lifetime), std::memory_order_relaxed);
    e->keep_until_ = stored_seconds(spec.freshness.keep_until);
    e->stale_ = spec.stale;
    e->shared_head_ = std::move(shared);
    if (spec.body_size > 0) {
        e->body_ = static_cast<char*>(allocate_or_abort(spec.body_size));
        e->body_size_ = static_cast<std::uint32_t>(spec.body_size);
    }

    char* out = payload(e);
    if (!spec.key.empty()) std::memcpy(out, spec.key.data(), spec.key.size());
    if (!own_head.empty()) std::memcpy(out + spec.key.size(), own_head.data(), own_head.size());
    return EntryRef::adopt(e);
}

void Entry::destroy(Entry* e) noexcept {
    std::free(e->body_);
    e->~Entry();  // releases the shared head block
    std::free(e);
}

std::size_t Entry::charge() const noexcept {
    // jemalloc in the real binary: the size classes, which is what the blocks really cost.
    std::size_t bytes = malloc_usable_size(const_cast<Entry*>(this));
    if (body_ != nullptr) bytes += malloc_usable_size(body_);
    return bytes;
}

void Entry::expire(Seconds now) noexcept {
    const std::uint32_t ends = stored_seconds(age(now));
    std::uint32_t lifetime = lifetime_.load(std::memory_order_relaxed);
    // Two purges may race: each only lowers it, so the lower value wins.
    while (ends < lifetime &&
           !lifetime_.compare_exchange_weak(lifetime, ends, std::memory_order_relaxed)) {}
}

std::string_view Entry::key() const noexcept { return {payload(this), key_size_}; }

StoredHead Entry::head() const noexcept {
    std::string_view own{payload(this) + key_size_, own_head_size_};
    if (!shared_head_) return {{}, own};
    return {shared_head_->bytes(), own};
}

std::string_view Entry::body() const noexcept { return {body_, body_size_}; }

char* Entry::body_data() noexcept { return body_; }

}  // namespace cachet::cache
