#pragma once
// cachet's member of a Cache-Status header (RFC 9211), e.g. "cachet; fwd=miss; stored".
#include <string>

#include "harness/reply.hpp"

namespace cachet::integration {

struct CacheStatus {
    bool present = false;
    std::string raw;  // the whole header value
    bool hit = false;
    std::string fwd;  // "miss", "bypass", "stale", ... or empty
    bool stored = false;
    bool collapsed = false;
    std::string detail;  // the reason a response was not stored, if given

    bool miss() const { return fwd == "miss"; }
    bool bypass() const { return fwd == "bypass"; }
};

// The member named "cachet" (or the last member when none is).
CacheStatus cache_status(const Reply& reply);

}  // namespace cachet::integration
