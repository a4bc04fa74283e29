#pragma once
// A walk down a document against a set of JSON pointers: at each value, which pointers
// still lead into it, and whether one of them names it. The canonical writer carries one
// cursor per value it writes; copying a cursor is copying three words.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "json/json_pointer.hpp"

namespace cachet::json {

// One bit per pointer: a walk follows at most this many at once.
constexpr std::size_t kMaxPointers = 64;

class PointerCursor {
public:
    // At the document's root, with every pointer live. At most kMaxPointers pointers
    // (asserted; canonical_json refuses more with too_many_pointers). `pointers` must
    // outlive the cursor and every cursor made from it.
    explicit PointerCursor(std::span<const JsonPointer> pointers) noexcept;
    // Following no pointer: names nothing, anywhere.
    PointerCursor() noexcept = default;

    // A live pointer ends here: the value the cursor stands at is named.
    bool names_this() const noexcept;
    // No pointer leads into this value or below it.
    bool idle() const noexcept { return live_ == 0; }

    // The cursor at this object's member `key`, or at this array's element `index`.
    PointerCursor member(std::string_view key) const noexcept;
    PointerCursor element(std::size_t index) const noexcept;

private:
    PointerCursor(std::span<const JsonPointer> pointers, std::uint64_t live,
                  std::size_t depth) noexcept
        : pointers_(pointers), live_(live), depth_(depth) {}

    template <class Matches>
    PointerCursor descend(Matches&& matches) const noexcept;

    std::span<const JsonPointer> pointers_;
    std::uint64_t live_ = 0;  // bit i: pointers_[i]'s first depth_ tokens name the path here
    std::size_t depth_ = 0;   // tokens consumed: 0 at the root
};

}  // namespace cachet::json
