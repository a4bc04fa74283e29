#pragma once
// Errors are values. tl::expected has std::expected's API; moving to C++23 changes this line only.
#include <tl/expected.hpp>

#include "util/errc.hpp"

namespace cachet {

template <class T>
using Result = tl::expected<T, Errc>;

using tl::unexpected;

}  // namespace cachet
