#include "harness/certificates.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <vector>

#include "harness/process.hpp"
#include "harness/temp_dir.hpp"

namespace cachet::integration {
namespace {

constexpr auto kOpensslTimeout = 20s;  // per command; EC keys take milliseconds

// posix_spawn takes a path, not a name: the first `openssl` on PATH.
std::string openssl_program() {
    const char* path = getenv("PATH");
    std::string_view dirs = path ? path : "/usr/bin:/bin";
    while (!dirs.empty()) {
        auto colon = dirs.find(':');
        std::string candidate = std::string(dirs.substr(0, colon)) + "/openssl";
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
        dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    }
    throw HarnessError("no openssl on PATH (scripts/setup.sh installs it)");
}

// One configuration for every command: `openssl req` makes the CA, the self-signed certificate
// and the signing requests; `openssl ca` signs, because only it can set a validity in the past
// (OpenSSL 3.0's `x509 -req` cannot backdate). The sections after [subject] are extensions.
std::string openssl_config(const TempDir& dir) {
    return "[ca]\n"
           "default_ca = test_ca\n"
           "[test_ca]\n"
           "database = " +
           dir.path("index.txt") +
           "\n"
           "new_certs_dir = " +
           dir.path("issued") +
           "\n"
           "serial = " +
           dir.path("serial") +
           "\n"
           "certificate = " +
           dir.path("ca.pem") +
           "\n"
           "private_key = " +
           dir.path("ca.key") +
           "\n"
           "default_md = sha256\n"
           "policy = any_subject\n"
           "unique_subject = no\n"
           "copy_extensions = none\n"
           "[any_subject]\n"
           "commonName = supplied\n"
           "[req]\n"
           "distinguished_name = subject\n"
           "[subject]\n"
           "[ca_cert]\n"
           "basicConstraints = critical, CA:TRUE\n"
           "keyUsage = critical, keyCertSign, cRLSign\n"
           "subjectKeyIdentifier = hash\n"
           "[localhost_server]\n"
           "basicConstraints = critical, CA:FALSE\n"
           "keyUsage = critical, digitalSignature\n"
           "extendedKeyUsage = serverAuth\n"
           "subjectKeyIdentifier = hash\n"
           "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
           "[other_server]\n"
           "basicConstraints = critical, CA:FALSE\n"
           "keyUsage = critical, digitalSignature\n"
           "extendedKeyUsage = serverAuth\n"
           "subjectKeyIdentifier = hash\n"
           "subjectAltName = DNS:other.example\n";
}

// Validity of a certificate the CA signs.
struct Validity {
    std::string start;  // openssl ca's -startdate, YYYYMMDDHHMMSSZ; empty: now
    std::string end;    // -enddate; empty: 30 days on
};

class Pki {
public:
    Pki() : dir_("tls"), openssl_(openssl_program()), config_(dir_.path("openssl.cnf")) {
        write_file(config_, openssl_config(dir_));
        write_file(dir_.path("index.txt"), "");
        write_file(dir_.path("serial"), "1000\n");
        std::filesystem::create_directories(dir_.path("issued"));
    }

    std::string path(const std::string& name) const { return dir_.path(name); }

    void make_ca() {
        self_signed_pair({path("ca.pem"), path("ca.key")}, "cachet test CA", "ca_cert");
    }

    CertificateFiles signed_by_ca(const std::string& name, std::string_view common_name,
                                  const std::string& extensions, const Validity& validity = {}) {
        CertificateFiles files{path(name + ".pem"), path(name + ".key")};
        const std::string request = path(name + ".csr");
        std::vector<std::string> make_request = {"req", "-new", "-out", request};
        append(make_request, new_key(files.key));
        append(make_request, {"-subj", "/CN=" + std::string(common_name), "-config", config_});
        run(std::move(make_request));

        std::vector<std::string> sign = {"ca",    "-batch", "-notext", "-in",
                                         request, "-out",   files.cert};
        append(sign, {"-config", config_, "-extensions", extensions});
        if (validity.start.empty()) {
            append(sign, {"-days", "30"});
        } else {
            append(sign, {"-startdate", validity.start, "-enddate", validity.end});
        }
        run(std::move(sign));
        return files;
    }

    CertificateFiles self_signed(const std::string& name, std::string_view common_name) {
        CertificateFiles files{path(name + ".pem"), path(name + ".key")};
        self_signed_pair(files, common_name, "localhost_server");
        return files;
    }

private:
    // The arguments of `openssl req` for a new EC P-256 key, unencrypted, into key_file.
    static std::vector<std::string> new_key(const std::string& key_file) {
        return {"-newkey", "ec",      "-pkeyopt", "ec_paramgen_curve:P-256",
                "-noenc",  "-keyout", key_file};
    }

    static void append(std::vector<std::string>& args, const std::vector<std::string>& more) {
        args.insert(args.end(), more.begin(), more.end());
    }

    // `openssl req -x509`: a new key and a certificate it signs itself.
    void self_signed_pair(const CertificateFiles& files, std::string_view common_name,
                          const std::string& extensions) {
        std::vector<std::string> args = {"req", "-x509", "-new", "-days", "30", "-out", files.cert};
        append(args, new_key(files.key));
        append(args, {"-subj", "/CN=" + std::string(common_name), "-config", config_, "-extensions",
                      extensions});
        run(std::move(args));
    }

    void run(std::vector<std::string> args) {
        args.insert(args.begin(), openssl_);
        std::string shown = "openssl";
        for (std::size_t i = 1; i < args.size(); ++i) shown += " " + args[i];
        RunResult result = run_to_exit(std::move(args), kOpensslTimeout);
        if (result.timed_out) throw HarnessError(shown + ": timed out");
        if (!result.status.clean()) {
            throw HarnessError(shown + ": " + result.status.describe() + ": " + result.err);
        }
    }

    TempDir dir_;  // removed with the Pki, at the test process's exit
    std::string openssl_;
    std::string config_;
};

TestCertificates make_certificates(Pki& pki) {
    pki.make_ca();
    TestCertificates made;
    made.ca = pki.path("ca.pem");
    made.localhost = pki.signed_by_ca("localhost", kLocalhostCommonName, "localhost_server");
    made.localhost_2 = pki.signed_by_ca("localhost-2", kLocalhost2CommonName, "localhost_server");
    made.expired = pki.signed_by_ca("expired", "cachet-test-expired", "localhost_server",
                                    {.start = "20200101000000Z", .end = "20200131000000Z"});
    made.other_name = pki.signed_by_ca("other", "other.example", "other_server");
    made.self_signed = pki.self_signed("self-signed", "cachet-test-self-signed");
    return made;
}

}  // namespace

const TestCertificates& test_certificates() {
    static Pki pki;
    static const TestCertificates certificates = make_certificates(pki);
    return certificates;
}

}  // namespace cachet::integration
