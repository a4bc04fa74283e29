#pragma once
// A TLS listener's certificate, shared by every worker: the context new connections are
// made from, replaced whole by reload() (SIGHUP) while connections made from the old one
// keep it until they close (each SSL holds its context). A file that cannot be read keeps
// the running certificate. The ticket keys outlive reloads, so sessions still resume.
#include <openssl/ssl.h>

#include <mutex>
#include <string>

#include "tls/context.hpp"
#include "tls/session.hpp"
#include "tls/ticket_keys.hpp"
#include "util/result.hpp"

namespace cachet::tls {

class ServerCertificate {
public:
    // Reads the files once; the error names the file and why.
    static tl::expected<std::unique_ptr<ServerCertificate>, std::string> load(std::string cert_file,
                                                                              std::string key_file);

    // A server session for a new connection (any thread).
    Session accept();
    // Reads the files again; empty when the new certificate is in use, else why not (the
    // old one stays).
    std::string reload();

private:
    ServerCertificate(std::string cert_file, std::string key_file)
        : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)) {}

    const std::string cert_file_;
    const std::string key_file_;
    TicketKeys tickets_;
    std::mutex mutex_;  // accepts and reloads only
    ContextPtr context_;
};

}  // namespace cachet::tls
