#include "tls/context.hpp"

#include <openssl/err.h>

#include "tls/openssl_error.hpp"
#include "tls/ticket_keys.hpp"

namespace cachet::tls {
namespace {

// TLS 1.2's list: forward secrecy and AEAD only (TLS 1.3's suites are all of that kind).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// TLS 1.3's suites, in the server's order: AES-128-GCM first (as strong as needed, and
// cheaper per byte than AES-256), ChaCha20 for clients without AES instructions.
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// ALPN's wire form: length-prefixed names.
constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

bool common_setup(SSL_CTX* context) {
    return SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 &&
           SSL_CTX_set_cipher_list(context, kTls12Ciphers) == 1 &&
           SSL_CTX_set_ciphersuites(context, kTls13Suites) == 1;
}

std::string refused(const std::string& file, std::string_view what) {
    return file + ": " + std::string(what) + " (" + openssl_error_text() + ")";
}

}  // namespace

tl::expected<ContextPtr, std::string> make_client_context(const ClientSettings& settings) {
    ERR_clear_error();
    ContextPtr context(SSL_CTX_new(TLS_client_method()));
    if (!context || !common_setup(context.get()))
        return tl::unexpected("TLS client setup failed (" + openssl_error_text() + ")");
    SSL_CTX_set_alpn_protos(context.get(), kHttp11, sizeof kHttp11);
    if (settings.insecure) {
        SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
    } else {
        SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
        if (!settings.ca_file.empty()) {
            if (SSL_CTX_load_verify_locations(context.get(), settings.ca_file.c_str(), nullptr) !=
                1)
                return tl::unexpected(refused(settings.ca_file, "no CA certificates read"));
        } else if (SSL_CTX_set_default_verify_paths(context.get()) != 1) {
            return tl::unexpected("the system's CA store could not be read (" +
                                  openssl_error_text() + ")");
        }
    }
    // Sessions are kept by whoever asked for them (a worker's pool), not in the context: no
    // lock shared across workers, and a pool resumes only sessions of its own server.
    SSL_CTX_set_session_cache_mode(context.get(),
                                   SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(context.get(), [](SSL* ssl, SSL_SESSION* session) {
        auto* sink = static_cast<SessionSink*>(SSL_get_app_data(ssl));
        if (!sink) return 0;  // not taken: OpenSSL frees it
        sink->on_new_session(SessionPtr(session));
        return 1;
    });
    return context;
}

tl::expected<ContextPtr, std::string> make_server_context(const std::string& cert_file,
                                                          const std::string& key_file,
                                                          TicketKeys& tickets) {
    ERR_clear_error();
    ContextPtr context(SSL_CTX_new(TLS_server_method()));
    if (!context || !common_setup(context.get()))
        return tl::unexpected("TLS server setup failed (" + openssl_error_text() + ")");
    if (SSL_CTX_use_certificate_chain_file(context.get(), cert_file.c_str()) != 1)
        return tl::unexpected(refused(cert_file, "no certificate read"));
    // OpenSSL checks the key against the certificate as it reads it.
    if (SSL_CTX_use_PrivateKey_file(context.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(context.get()) != 1)
        return tl::unexpected(
            refused(key_file, "no private key read, or not the certificate's key"));
    SSL_CTX_set_options(context.get(), SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    // Resumption by ticket only: a session-ID cache would be one locked table for all workers.
    SSL_CTX_set_session_cache_mode(context.get(), SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(context.get(), 1);
    // Read whole records (and what follows them) from the BIO at once, not header then body.
    SSL_CTX_set_read_ahead(context.get(), 1);
    tickets.install(context.get());
    SSL_CTX_set_alpn_select_cb(
        context.get(),
        [](SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
           unsigned in_length, void*) {
            unsigned char* chosen = nullptr;
            if (SSL_select_next_proto(&chosen, out_length, kHttp11, sizeof kHttp11, in,
                                      in_length) != OPENSSL_NPN_NEGOTIATED)
                return SSL_TLSEXT_ERR_NOACK;  // no http/1.1 offered: go on without ALPN
            *out = chosen;
            return SSL_TLSEXT_ERR_OK;
        },
        nullptr);
    return context;
}

}  // namespace cachet::tls
