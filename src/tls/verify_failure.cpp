#include "tls/verify_failure.hpp"

#include <openssl/x509_vfy.h>

namespace cachet::tls {

Errc verify_failure(long verify_error) noexcept {
    switch (verify_error) {
    case X509_V_OK: return Errc::origin_tls_handshake;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: return Errc::origin_tls_hostname_mismatch;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID: return Errc::origin_tls_expired;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED: return Errc::origin_tls_untrusted;
    default: return Errc::origin_tls_rejected;
    }
}

}  // namespace cachet::tls
