#pragma once
// A throw-away PKI for TLS tests, made at test time with the `openssl` command line tool in a
// temporary directory: a CA and the server certificates a test needs to see each way a
// handshake can go. Made once per test process (generation takes about a second), on first use.
#include <string>
#include <string_view>

namespace cachet::integration {

// PEM file paths of one certificate and its private key.
struct CertificateFiles {
    std::string cert;
    std::string key;
};

// The subject CNs of the two valid server certificates: how a test tells which one a server
// presents (TlsConnection::peer_common_name()).
inline constexpr std::string_view kLocalhostCommonName = "cachet-test";
inline constexpr std::string_view kLocalhost2CommonName = "cachet-test-2";

struct TestCertificates {
    std::string ca;                // ca.pem: the CA a verifying client trusts
    CertificateFiles localhost;    // from the CA: DNS:localhost, IP:127.0.0.1, CN cachet-test
    CertificateFiles localhost_2;  // the same names, CN cachet-test-2: a second valid identity
    CertificateFiles expired;      // from the CA, the same names, valid only in January 2020
    CertificateFiles other_name;   // from the CA: DNS:other.example only
    CertificateFiles self_signed;  // DNS:localhost, IP:127.0.0.1, signed by itself, not the CA
};

// Thread-safe; the files live until the test process exits. Throws HarnessError (with
// openssl's own message) when openssl is missing or refuses (scripts/setup.sh installs it).
const TestCertificates& test_certificates();

}  // namespace cachet::integration
