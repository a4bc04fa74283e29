#pragma once
// The text of OpenSSL's error queue, for config errors and logs.
#include <string>

namespace cachet::tls {

// The newest error's reason ("no such file", "key values mismatch"), the queue cleared;
// "unknown error" when it is empty.
std::string openssl_error_text();

}  // namespace cachet::tls
