#pragma once
// A body's identity for a cache key: the 128-bit XXH3 of its bytes as 32 lowercase hex
// digits. Keys are capped at 4 KiB (cache/key.hpp), so a body goes in as its digest, not
// as itself. 128 bits make two different bodies keyed alike (one served the other's answer)
// out of reach by chance. XXH3 is fast, not cryptographic: it does not promise that a
// client set on it cannot craft a body colliding with another's (docs/json-keys.md).
#include <array>
#include <string_view>

namespace cachet::json {

struct BodyDigest {
    std::array<char, 32> hex{};  // the hash's 16 bytes, most significant first (as xxhsum -H2)
    std::string_view view() const noexcept { return {hex.data(), hex.size()}; }
};

BodyDigest body_digest(std::string_view bytes) noexcept;

}  // namespace cachet::json
