#pragma once
// FNV-1a, 64 bit: the checksum the test origin reports for request bodies, so that an integration
// test can check that a body crossed cachet intact without shipping it back.
#include <cstdint>
#include <string_view>

namespace cachet::tools {

class Fnv1a64 {
public:
    void update(std::string_view bytes) noexcept {
        for (unsigned char c : bytes) {
            hash_ ^= c;
            hash_ *= 0x100000001b3ULL;
        }
    }
    std::uint64_t value() const noexcept { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace cachet::tools
