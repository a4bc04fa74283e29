#pragma once
// What a failed origin handshake is reported as: the certificate's verification error, as
// the client reads it in its 502 and the metrics count it.
#include "util/errc.hpp"

namespace cachet::tls {

// `verify_error` is OpenSSL's X509_V_ERR_* code (X509_V_OK: the handshake failed for
// another reason than the certificate).
Errc verify_failure(long verify_error) noexcept;

}  // namespace cachet::tls
