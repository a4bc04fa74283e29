#pragma once
// The keys that encrypt a listener's session tickets: shared by every worker (a ticket one
// worker issued resumes on any other) and kept across certificate reloads, rotated every
// kRotation. A ticket sealed with the previous key still resumes. Every resumption gets a
// new ticket, sealed with the current key.
#include <openssl/ssl.h>

#include <array>
#include <cstdint>
#include <mutex>

namespace cachet::tls {

class TicketKeys {
public:
    static constexpr std::uint64_t kRotationMs = 3'600'000;

    TicketKeys();
    // Installs the ticket callback on a server context (its app data points here).
    void install(SSL_CTX* context);

private:
    struct Key {
        std::array<unsigned char, 16> name{};
        std::array<unsigned char, 32> cipher{};
        std::array<unsigned char, 32> mac{};
        std::uint64_t made_ms = 0;
    };
    // OpenSSL's ticket callback: seal (`encrypt`) with the current key, or open with the key
    // the ticket names. Returns 1 (sealed), 2 (opened: renew the ticket) or 0 (unknown key).
    int seal_or_open(unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                     EVP_MAC_CTX* mac, bool encrypt);
    static Key fresh_key(std::uint64_t now_ms);
    void rotate_locked(std::uint64_t now_ms);

    std::mutex mutex_;  // handshakes only: never on a request's path
    Key current_;
    Key previous_;
    bool has_previous_ = false;
};

}  // namespace cachet::tls
