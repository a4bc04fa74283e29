#include "cache/body_key.hpp"

#include <xxhash.h>

namespace cachet::cache {

Result<std::string_view> append_body_digest(KeyBuffer& key, std::string_view body) {
    if (key.size + kBodyKeySize > key.bytes.size()) return unexpected(Errc::key_too_long);
    const XXH128_hash_t digest = XXH3_128bits(body.data(), body.size());
    static constexpr char kHex[] = "0123456789abcdef";
    char* out = key.bytes.data() + key.size;
    *out++ = '\x1f';
    for (const char c : std::string_view("body:")) *out++ = c;
    for (const std::uint64_t half : {digest.high64, digest.low64}) {
        for (int shift = 60; shift >= 0; shift -= 4) *out++ = kHex[(half >> shift) & 15];
    }
    key.size += kBodyKeySize;
    key.hash = hash_key(key.view());
    return key.view();
}

}  // namespace cachet::cache
