#pragma once
// Response-head lines that many entries repeat, stored once and shared by count.
//
// An API's responses differ in a few fields (Date, Content-Length, ETag, Last-Modified) and
// repeat the rest: the status line, Content-Type, Cache-Control, Server, the CORS and
// security fields. Stored once per entry, the repeated lines are most of what an entry
// costs beyond its body; shared, they cost one pointer (cache/head_split.hpp says which
// lines are shared).
//
// SharedHeads is a store's intern table: intern() returns the block that already holds
// these bytes, or a new one. A block leaves the table when its last entry releases it, and
// keeps the table alive until then (entries may outlive their store during shutdown).
// The table counts the bytes of its live blocks; the store's budget includes them.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "util/intrusive_ptr.hpp"

namespace cachet::cache {

class SharedHeads;

class SharedHead {
public:
    std::string_view bytes() const noexcept;
    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept;

private:
    friend class SharedHeads;
    SharedHead() = default;
    ~SharedHead() = default;
    // A new reference unless the count already reached zero (the block is being freed).
    bool try_retain() noexcept;

    std::atomic<std::uint32_t> refs_{1};
    std::uint32_t size_ = 0;
    std::uint64_t hash_ = 0;
    std::size_t charge_ = 0;
    std::shared_ptr<SharedHeads> table_;
    // followed in the same allocation by the bytes
};

using SharedHeadRef = IntrusivePtr<SharedHead>;

class SharedHeads : public std::enable_shared_from_this<SharedHeads> {
public:
    static std::shared_ptr<SharedHeads> create() {
        return std::shared_ptr<SharedHeads>(new SharedHeads());
    }

    // The live block holding exactly `bytes`, or a new one. Called on the store-insert
    // path; never on a hit.
    SharedHeadRef intern(std::string_view bytes);

    // Bytes of the live blocks (their allocations' size classes), for the store's budget.
    const std::atomic<std::size_t>& charged() const noexcept { return charged_; }
    std::size_t count() const;

private:
    friend class SharedHead;
    SharedHeads() = default;
    static constexpr std::size_t part_count = 16;  // a power of two
    struct alignas(64) Part {
        mutable std::mutex mutex;
        std::unordered_multimap<std::uint64_t, SharedHead*> blocks;  // by hash of the bytes
    };

    Part& part_for(std::uint64_t hash) noexcept { return parts_[hash >> 60 & (part_count - 1)]; }
    SharedHead* make_block(std::string_view bytes, std::uint64_t hash);
    // The last reference went: drops the block from its part, then frees it.
    void forget(SharedHead* block) noexcept;

    Part parts_[part_count];
    std::atomic<std::size_t> charged_{0};
};

}  // namespace cachet::cache
