#pragma once
// Time in cachet is a parameter: policy and store functions take `now` so tests choose it.
#include <cstdint>

namespace cachet {

// Seconds since the Unix epoch (HTTP's resolution for Date, Age, max-age).
using Seconds = std::int64_t;
// Milliseconds of a monotonic clock (timeouts, deadlines).
using Millis = std::uint64_t;

}  // namespace cachet
