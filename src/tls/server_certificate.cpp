#include "tls/server_certificate.hpp"

namespace cachet::tls {

tl::expected<std::unique_ptr<ServerCertificate>, std::string> ServerCertificate::load(
    std::string cert_file, std::string key_file) {
    std::unique_ptr<ServerCertificate> certificate(
        new ServerCertificate(std::move(cert_file), std::move(key_file)));
    if (std::string error = certificate->reload(); !error.empty()) return tl::unexpected(error);
    return certificate;
}

Session ServerCertificate::accept() {
    std::lock_guard lock(mutex_);
    return Session::server(context_.get());
}

std::string ServerCertificate::reload() {
    auto context = make_server_context(cert_file_, key_file_, tickets_);
    if (!context) return context.error();
    std::lock_guard lock(mutex_);
    context_ = std::move(*context);  // live connections hold the old one until they close
    return {};
}

}  // namespace cachet::tls
