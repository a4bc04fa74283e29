#include "cache/only_if_cached.hpp"

namespace cachet::cache {

bool answer_with_504(const RequestFacts& request, std::optional<Servable> stored,
                     bool needs_origin) noexcept {
    if (!request.cache_control.only_if_cached) return false;
    if (!stored || *stored == Servable::must_validate) return true;
    return needs_origin;
}

}  // namespace cachet::cache
