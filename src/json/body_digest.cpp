#include "json/body_digest.hpp"

#include <xxhash.h>

namespace cachet::json {

BodyDigest body_digest(std::string_view bytes) noexcept {
    constexpr char digits[] = "0123456789abcdef";
    XXH128_canonical_t canonical;  // big-endian: the order xxhsum prints
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes.data(), bytes.size()));
    BodyDigest digest;
    for (std::size_t i = 0; i < sizeof canonical.digest; ++i) {
        digest.hex[2 * i] = digits[canonical.digest[i] >> 4];
        digest.hex[2 * i + 1] = digits[canonical.digest[i] & 15];
    }
    return digest;
}

}  // namespace cachet::json
