// An entry is one malloc block: the Entry header, then key bytes, head bytes and body bytes.
// One block means one size class to charge, one free on the last release, and a hit that
// touches a single allocation.
#include "cache/entry.hpp"

#include <malloc.h>

#include <cassert>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace cachet::cache {

namespace {

// The bytes that follow the header; key, head and body are laid out back to back.
char* payload(Entry* e) noexcept { return reinterpret_cast<char*>(e + 1); }
const char* payload(const Entry* e) noexcept { return reinterpret_cast<const char*>(e + 1); }

}  // namespace

EntryRef Entry::create(const Spec& spec) {
    static_assert(offsetof(Entry, promoted_at_) + sizeof(promoted_at_) <= 64,
                  "a lookup reads one cache line of the header");
    assert(spec.key.size() <= std::numeric_limits<std::uint32_t>::max());
    assert(spec.head.size() <= std::numeric_limits<std::uint32_t>::max());
    assert(spec.status >= 0 && spec.status <= std::numeric_limits<std::uint16_t>::max());

    std::size_t size = sizeof(Entry) + spec.key.size() + spec.head.size() + spec.body_size;
    void* block = std::malloc(size);
    if (block == nullptr) std::abort();   // out of memory may abort (STYLE.md)

    auto* e = new (block) Entry();
    e->key_size_ = static_cast<std::uint32_t>(spec.key.size());
    e->head_size_ = static_cast<std::uint32_t>(spec.head.size());
    e->status_ = static_cast<std::uint16_t>(spec.status);
    e->vary_marker_ = spec.vary_marker;
    e->hash_ = spec.hash;
    e->body_size_ = spec.body_size;
    // jemalloc in the real binary: the size class, which is what the block really costs.
    e->charge_ = malloc_usable_size(block);
    e->freshness_ = spec.freshness;
    e->stale_ = spec.stale;

    char* out = payload(e);
    if (!spec.key.empty()) std::memcpy(out, spec.key.data(), spec.key.size());
    if (!spec.head.empty()) std::memcpy(out + spec.key.size(), spec.head.data(), spec.head.size());
    return EntryRef::adopt(e);
}

void Entry::destroy(Entry* e) noexcept {
    e->~Entry();
    std::free(e);
}

std::string_view Entry::key() const noexcept { return {payload(this), key_size_}; }

std::string_view Entry::head() const noexcept { return {payload(this) + key_size_, head_size_}; }

std::string_view Entry::body() const noexcept {
    return {payload(this) + key_size_ + head_size_, body_size_};
}

char* Entry::body_data() noexcept { return payload(this) + key_size_ + head_size_; }

}  // namespace cachet::cache
