#pragma once
// Little-endian integers in a snapshot's bytes, read and written one byte at a time: no
// alignment is assumed and no pointer is reinterpreted, so any offset is fine (g++ turns
// each function into one load or store on x86-64 and aarch64).
#include <cstdint>

namespace cachet::snapshot {

template <typename Unsigned>
inline void store_le(char* out, Unsigned value) noexcept {
    for (unsigned i = 0; i < sizeof(Unsigned); ++i) {
        out[i] = static_cast<char>(static_cast<unsigned char>(value >> (8 * i)));
    }
}

template <typename Unsigned>
inline Unsigned load_le(const char* in) noexcept {
    Unsigned value = 0;
    for (unsigned i = 0; i < sizeof(Unsigned); ++i) {
        value |= static_cast<Unsigned>(static_cast<unsigned char>(in[i])) << (8 * i);
    }
    return value;
}

}  // namespace cachet::snapshot
