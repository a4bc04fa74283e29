#include "cache/shared_head.hpp"

#include <malloc.h>
#include <xxhash.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace cachet::cache {

namespace {

char* bytes_of(SharedHead* block) noexcept { return reinterpret_cast<char*>(block + 1); }

}  // namespace

std::string_view SharedHead::bytes() const noexcept {
    return {reinterpret_cast<const char*>(this + 1), size_};
}

bool SharedHead::try_retain() noexcept {
    std::uint32_t refs = refs_.load(std::memory_order_relaxed);
    while (refs != 0) {
        if (refs_.compare_exchange_weak(refs, refs + 1, std::memory_order_relaxed)) return true;
    }
    return false;
}

void SharedHead::release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    // The block holds the table alive; this local does so until forget() has returned.
    std::shared_ptr<SharedHeads> table = std::move(table_);
    table->forget(this);
}

SharedHeadRef SharedHeads::intern(std::string_view bytes) {
    const std::uint64_t hash = XXH3_64bits(bytes.data(), bytes.size());
    Part& part = part_for(hash);
    std::lock_guard lock(part.mutex);
    auto [first, last] = part.blocks.equal_range(hash);
    for (auto it = first; it != last; ++it) {
        SharedHead* block = it->second;
        // A block whose count reached zero is on its way out: forget() will drop it.
        if (block->bytes() == bytes && block->try_retain()) return SharedHeadRef::adopt(block);
    }
    SharedHead* block = make_block(bytes, hash);
    part.blocks.emplace(hash, block);
    return SharedHeadRef::adopt(block);
}

std::size_t SharedHeads::count() const {
    std::size_t total = 0;
    for (const Part& part : parts_) {
        std::lock_guard lock(part.mutex);
        total += part.blocks.size();
    }
    return total;
}

SharedHead* SharedHeads::make_block(std::string_view bytes, std::uint64_t hash) {
    void* memory = std::malloc(sizeof(SharedHead) + bytes.size());
    if (memory == nullptr) std::abort();  // out of memory may abort (STYLE.md)
    auto* block = new (memory) SharedHead();
    block->size_ = static_cast<std::uint32_t>(bytes.size());
    block->hash_ = hash;
    block->charge_ = malloc_usable_size(memory);
    block->table_ = shared_from_this();
    std::memcpy(bytes_of(block), bytes.data(), bytes.size());
    charged_.fetch_add(block->charge_, std::memory_order_relaxed);
    return block;
}

void SharedHeads::forget(SharedHead* block) noexcept {
    {
        Part& part = part_for(block->hash_);
        std::lock_guard lock(part.mutex);
        auto [first, last] = part.blocks.equal_range(block->hash_);
        for (auto it = first; it != last; ++it) {
            if (it->second == block) {
                part.blocks.erase(it);
                break;
            }
        }
    }
    charged_.fetch_sub(block->charge_, std::memory_order_relaxed);
    block->~SharedHead();
    std::free(block);
}

}  // namespace cachet::cache
