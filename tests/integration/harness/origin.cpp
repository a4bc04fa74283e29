#include "harness/origin.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

#include <doctest/doctest.h>

#include "harness/http_client.hpp"
#include "harness/readiness_line.hpp"
#include "harness/tls_client.hpp"

#ifndef TEST_ORIGIN_BIN
#error "TEST_ORIGIN_BIN must name the cachet-test-origin binary (tests/integration/meson.build)"
#endif

namespace cachet::integration {
namespace {

std::uint64_t json_number(const std::string& json, std::string_view key) {
    std::string needle = "\"" + std::string(key) + "\": ";
    auto at = json.find(needle);
    if (at == std::string::npos) throw HarnessError("no " + std::string(key) + " in " + json);
    return std::stoull(json.substr(at + needle.size()));
}

std::vector<std::string> origin_command(int listen_port,
                                        const std::vector<std::string>& tls_arguments) {
    std::vector<std::string> argv = {TEST_ORIGIN_BIN, "--listen",
                                     "127.0.0.1:" + std::to_string(listen_port)};
    argv.insert(argv.end(), tls_arguments.begin(), tls_arguments.end());
    return argv;
}

}  // namespace

std::string url_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

TestOrigin::TestOrigin() : TestOrigin(0) {}

TestOrigin::TestOrigin(int listen_port) : TestOrigin(listen_port, {}) {}

TestOrigin TestOrigin::tls(const std::string& cert_file, const std::string& key_file) {
    return TestOrigin(0, {"--tls-cert", cert_file, "--tls-key", key_file});
}

TestOrigin::TestOrigin(int listen_port, std::vector<std::string> tls_arguments)
    : process_(origin_command(listen_port, tls_arguments)), tls_(!tls_arguments.empty()) {
    constexpr std::string_view ready = "test-origin listening on ";
    auto line = process_.wait_for_line(ready, Deadline::after(10s));
    if (!line) throw HarnessError("the test origin did not report its port within 10 s");
    auto port = port_in_readiness_line(*line, ready);
    if (!port) throw HarnessError("cannot read a port in '" + *line + "'");
    port_ = *port;
}

TestOrigin::~TestOrigin() {
    if (stopped_) return;
    try {
        ExitStatus status = process_.stop();
        CHECK_MESSAGE(status.clean(), "the test origin " << status.describe() << " when stopped");
    } catch (const HarnessError& e) {
        FAIL_CHECK(e.what());
    }
}

std::string TestOrigin::stats(std::string_view query) const {
    std::string target = "/__stats";
    if (!query.empty()) target += "?" + std::string(query);
    Reply r = tls_ ? tls_get(port_, target, TlsOptions{}, 5s) : get(port_, target, {}, 5s);
    if (!r.ok() || r.status != 200) {
        throw HarnessError("reading the origin's counters failed: " + r.describe());
    }
    return r.body;
}

std::uint64_t TestOrigin::requests(std::string_view path) const {
    return std::stoull(stats("path=" + url_encode(path)));
}

std::uint64_t TestOrigin::requests_for_target(std::string_view target) const {
    return std::stoull(stats("target=" + url_encode(target)));
}

std::string TestOrigin::last_body(std::string_view path) const {
    return stats("last_body=" + url_encode(path));
}

std::uint64_t TestOrigin::total_requests() const { return json_number(stats(""), "requests"); }

std::uint64_t TestOrigin::connections() const { return json_number(stats(""), "connections"); }

std::string TestOrigin::stats_json() const { return stats(""); }

std::uint64_t TestOrigin::tls_handshakes() const {
    return json_number(stats(""), "tls_handshakes");
}

std::uint64_t TestOrigin::tls_resumed() const { return json_number(stats(""), "tls_resumed"); }

std::uint64_t TestOrigin::tls_failures() const { return json_number(stats(""), "tls_failures"); }

DeadPort::DeadPort() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        throw HarnessError("cannot reserve a loopback port");
    }
    port_ = ntohs(addr.sin_port);
}

DeadPort::~DeadPort() { release(); }

void DeadPort::release() noexcept {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
}

}  // namespace cachet::integration
