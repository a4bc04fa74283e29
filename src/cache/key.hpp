#pragma once
// The primary cache key: method, host, path and query, normalised so that requests that
// mean the same resource share an entry, then hashed with XXH3. Built into a buffer the
// connection owns: no allocation on the hit path.
#include <array>
#include <cstdint>
#include <string_view>

#include "http/method.hpp"
#include "util/result.hpp"

namespace cachet::cache {

// Separates a primary key from the secondary key in the key a stored variant lives under
// (cache/variants.hpp). build_key never writes it, so no primary key can be mistaken for,
// or look up, a variant's key.
constexpr char variant_separator = '\x1e';

struct KeyBuffer {
    std::array<char, 4096> bytes;
    std::size_t size = 0;
    std::uint64_t hash = 0;
    std::string_view view() const noexcept { return {bytes.data(), size}; }
};

// method: GET or HEAD (a HEAD is keyed as GET: it is answered from a stored GET); other
// methods are never looked up, and `other` has no name to key by (bad_request).
// host: the Host header as sent (lowercased, default port :80 dropped, trailing dot dropped).
// target: origin-form request target (path and query) as sent; an absolute-form target
// (http://host/path) contributes its host and path instead.
// Fails with key_too_long when the key does not fit the buffer, and with bad_request when
// method or host holds the key's separator byte (0x1f), or any part holds the variant
// separator (0x1e): neither occurs in a well-formed request (llhttp refuses control bytes
// in the target; this check does not rely on it).
Result<std::string_view> build_key(KeyBuffer& out, http::Method method, std::string_view host,
                                   std::string_view target);

std::uint64_t hash_key(std::string_view key) noexcept;

}  // namespace cachet::cache
