#include "tls/openssl_error.hpp"

#include <openssl/err.h>

namespace cachet::tls {

std::string openssl_error_text() {
    unsigned long last = 0;
    while (unsigned long e = ERR_get_error()) last = e;
    if (last == 0) return "unknown error";
    const char* reason = ERR_reason_error_string(last);
    if (reason) return reason;
    char text[256];
    ERR_error_string_n(last, text, sizeof text);
    return text;
}

}  // namespace cachet::tls
