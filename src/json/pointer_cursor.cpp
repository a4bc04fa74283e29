#include "json/pointer_cursor.hpp"

#include <bit>
#include <cassert>

namespace cachet::json {

PointerCursor::PointerCursor(std::span<const JsonPointer> pointers) noexcept : pointers_(pointers) {
    assert(pointers.size() <= kMaxPointers);
    live_ = pointers.size() == kMaxPointers ? ~std::uint64_t{0}
                                            : (std::uint64_t{1} << pointers.size()) - 1;
}

bool PointerCursor::names_this() const noexcept {
    for (std::uint64_t bits = live_; bits != 0; bits &= bits - 1) {
        if (pointers_[std::countr_zero(bits)].tokens.size() == depth_) return true;
    }
    return false;
}

template <class Matches>
PointerCursor PointerCursor::descend(Matches&& matches) const noexcept {
    std::uint64_t below = 0;
    for (std::uint64_t bits = live_; bits != 0; bits &= bits - 1) {
        const int i = std::countr_zero(bits);
        const auto& tokens = pointers_[i].tokens;
        if (tokens.size() > depth_ && matches(tokens[depth_])) below |= std::uint64_t{1} << i;
    }
    return PointerCursor(pointers_, below, depth_ + 1);
}

PointerCursor PointerCursor::member(std::string_view key) const noexcept {
    return descend([key](const std::string& token) { return token == key; });
}

PointerCursor PointerCursor::element(std::size_t index) const noexcept {
    return descend([index](const std::string& token) { return names_index(token, index); });
}

}  // namespace cachet::json
