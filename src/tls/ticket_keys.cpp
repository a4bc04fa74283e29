#include "tls/ticket_keys.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstring>

namespace cachet::tls {
namespace {

std::uint64_t monotonic_ms() {
    using namespace std::chrono;
    return static_cast<std::uint64_t>(
        duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

}  // namespace

TicketKeys::TicketKeys() : current_(fresh_key(monotonic_ms())) {}

TicketKeys::Key TicketKeys::fresh_key(std::uint64_t now_ms) {
    Key key;
    RAND_bytes(key.name.data(), static_cast<int>(key.name.size()));
    RAND_bytes(key.cipher.data(), static_cast<int>(key.cipher.size()));
    RAND_bytes(key.mac.data(), static_cast<int>(key.mac.size()));
    key.made_ms = now_ms;
    return key;
}

void TicketKeys::rotate_locked(std::uint64_t now_ms) {
    previous_ = current_;
    has_previous_ = true;
    current_ = fresh_key(now_ms);
}

void TicketKeys::install(SSL_CTX* context) {
    SSL_CTX_set_app_data(context, this);
    SSL_CTX_set_tlsext_ticket_key_evp_cb(
        context, [](SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                    EVP_MAC_CTX* mac, int encrypt) {
            auto* keys = static_cast<TicketKeys*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
            return keys->seal_or_open(name, iv, cipher, mac, encrypt == 1);
        });
}

int TicketKeys::seal_or_open(unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                             EVP_MAC_CTX* mac, bool encrypt) {
    std::lock_guard lock(mutex_);
    const std::uint64_t now = monotonic_ms();
    if (now - current_.made_ms >= kRotationMs) rotate_locked(now);
    const Key* key = nullptr;
    // A ticket that opens is always renewed: TLS 1.3 clients use a ticket once (RFC 8446
    // §C.4; OpenSSL's client forgets it), so without a new one the next connection would make
    // a full handshake.
    int found = 2;
    if (encrypt) {
        key = &current_;
        std::memcpy(name, key->name.data(), key->name.size());
        if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) != 1) return -1;
    } else if (std::memcmp(name, current_.name.data(), current_.name.size()) == 0) {
        key = &current_;
    } else if (has_previous_ &&
               std::memcmp(name, previous_.name.data(), previous_.name.size()) == 0) {
        key = &previous_;
    } else {
        return 0;  // a ticket from before a restart, or forged: a full handshake
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(
            OSSL_MAC_PARAM_KEY, const_cast<unsigned char*>(key->mac.data()), key->mac.size()),
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
        OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(mac, params) != 1) return -1;
    const int ok =
        encrypt ? EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key->cipher.data(), iv)
                : EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key->cipher.data(), iv);
    return ok == 1 ? found : -1;
}

}  // namespace cachet::tls
