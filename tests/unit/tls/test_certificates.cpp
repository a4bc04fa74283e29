#include "test_certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>

namespace cachet::tls::testing {
namespace {

constexpr long kDay = 24 * 60 * 60;  // seconds

struct KeyFree {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

struct CertFree {
    void operator()(X509* cert) const noexcept { X509_free(cert); }
};
using CertPtr = std::unique_ptr<X509, CertFree>;

struct BioFree {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

// A certificate with its key; the issuer of the next one, or a server's identity.
struct Issued {
    KeyPtr key;
    CertPtr cert;
};

// What a certificate says about its subject. Validity is in seconds from now.
struct Subject {
    const char* common_name;
    const char* alt_names;  // subjectAltName in X509v3 config syntax; nullptr: none (a CA)
    long not_before_s = -kDay;
    long not_after_s = 30 * kDay;
    bool is_ca = false;
};

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("test certificates: " + what);
}

KeyPtr new_key() {
    KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key) fail("EC key generation failed");
    return key;
}

void add_extension(X509* cert, X509V3_CTX& context, int nid, const char* value) {
    X509_EXTENSION* extension = X509V3_EXT_nconf_nid(nullptr, &context, nid, value);
    if (!extension) fail(std::string("bad extension ") + value);
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
}

// `issuer` null: self-signed, with the new key.
Issued issue(const Subject& subject, const Issued* issuer) {
    static long serial = 0;  // under test_certificates()'s one-time initialisation
    Issued made{new_key(), CertPtr(X509_new())};
    X509* cert = made.cert.get();
    X509_set_version(cert, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), subject.not_before_s);
    X509_gmtime_adj(X509_getm_notAfter(cert), subject.not_after_s);
    X509_set_pubkey(cert, made.key.get());
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(subject.common_name), -1, -1,
                               0);
    X509* issuer_cert = issuer ? issuer->cert.get() : cert;
    EVP_PKEY* signing_key = issuer ? issuer->key.get() : made.key.get();
    X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert));

    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer_cert, cert, nullptr, nullptr, 0);
    add_extension(cert, context, NID_subject_key_identifier, "hash");
    if (subject.is_ca) {
        add_extension(cert, context, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert, context, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(cert, context, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert, context, NID_key_usage, "critical,digitalSignature");
        add_extension(cert, context, NID_ext_key_usage, "serverAuth");
    }
    if (issuer) add_extension(cert, context, NID_authority_key_identifier, "keyid");
    if (subject.alt_names) add_extension(cert, context, NID_subject_alt_name, subject.alt_names);

    if (X509_sign(cert, signing_key, EVP_sha256()) == 0) fail("signing failed");
    return made;
}

BioPtr open_for_writing(const std::string& path) {
    BioPtr bio(BIO_new_file(path.c_str(), "w"));
    if (!bio) fail("cannot write " + path);
    return bio;
}

void write_certificate(const std::string& path, X509* cert) {
    if (PEM_write_bio_X509(open_for_writing(path).get(), cert) != 1) fail("cannot write " + path);
}

void write_key(const std::string& path, EVP_PKEY* key) {
    if (PEM_write_bio_PrivateKey(open_for_writing(path).get(), key, nullptr, nullptr, 0, nullptr,
                                 nullptr) != 1) {
        fail("cannot write " + path);
    }
}

CertificateFiles write_pair(const std::filesystem::path& dir, const std::string& name,
                            const Issued& issued) {
    CertificateFiles files{(dir / (name + ".pem")).string(), (dir / (name + ".key")).string()};
    write_certificate(files.cert_file, issued.cert.get());
    write_key(files.key_file, issued.key.get());
    return files;
}

// The directory the files live in, removed at exit with the static that owns it.
class CertificateDir {
public:
    CertificateDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "cachet-tls-unit-XXXXXX").string();
        if (!mkdtemp(pattern.data())) fail("mkdtemp failed");
        path_ = pattern;
    }
    CertificateDir(const CertificateDir&) = delete;
    CertificateDir& operator=(const CertificateDir&) = delete;
    ~CertificateDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

TestCertificates make_certificates(const std::filesystem::path& dir) {
    constexpr const char* kLocalNames = "DNS:localhost,IP:127.0.0.1";
    Issued ca = issue({.common_name = "cachet unit test CA",
                       .alt_names = nullptr,
                       .not_after_s = 365 * kDay,
                       .is_ca = true},
                      nullptr);
    TestCertificates made;
    made.ca_file = (dir / "ca.pem").string();
    write_certificate(made.ca_file, ca.cert.get());
    made.localhost = write_pair(dir, "localhost",
                                issue({.common_name = "localhost", .alt_names = kLocalNames}, &ca));
    made.expired = write_pair(dir, "expired",
                              issue({.common_name = "localhost",
                                     .alt_names = kLocalNames,
                                     .not_before_s = -30 * kDay,
                                     .not_after_s = -kDay},
                                    &ca));
    made.other_name =
        write_pair(dir, "other",
                   issue({.common_name = "other.example", .alt_names = "DNS:other.example"}, &ca));
    made.self_signed = write_pair(
        dir, "self-signed", issue({.common_name = "localhost", .alt_names = kLocalNames}, nullptr));
    return made;
}

}  // namespace

const TestCertificates& test_certificates() {
    static const CertificateDir dir;
    static const TestCertificates certificates = make_certificates(dir.path());
    return certificates;
}

}  // namespace cachet::tls::testing
