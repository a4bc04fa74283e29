#pragma once
// A throw-away PKI for the TLS unit tests, made in-process with OpenSSL's API (EC P-256 keys)
// and written as PEM files, because make_server_context and make_client_context read files.
// Made once per test process on first use; the directory is removed when the process exits.
#include <string>

namespace cachet::tls::testing {

// PEM file paths of one certificate and its private key.
struct CertificateFiles {
    std::string cert_file;
    std::string key_file;
};

struct TestCertificates {
    std::string ca_file;           // the CA's certificate: what a verifying client trusts
    CertificateFiles localhost;    // from the CA: DNS:localhost, IP:127.0.0.1, valid now
    CertificateFiles expired;      // from the CA, the same names, validity ended yesterday
    CertificateFiles other_name;   // from the CA: DNS:other.example only
    CertificateFiles self_signed;  // DNS:localhost, IP:127.0.0.1, vouched for by no CA
};

// Thread-safe; the first call makes the files (a few milliseconds).
const TestCertificates& test_certificates();

}  // namespace cachet::tls::testing
