#pragma once
// The test origin (tools/test_origin.cpp) as a child of the test, and its counters. Counters are
// read from the origin directly, never through cachet: they are how a test proves that a response
// did not come from the origin.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/process.hpp"

namespace cachet::integration {

class TestOrigin {
public:
    // Starts `cachet-test-origin --listen 127.0.0.1:0`; throws HarnessError if it does not report
    // its port within 10 s.
    TestOrigin();
    // The same on a given loopback port (one a DeadPort held until now, say).
    explicit TestOrigin(int port);
    // The origin in TLS mode (`--tls-cert --tls-key`): its listener speaks TLS only, url() is
    // https://, and the counters are read over the origin's own TLS, unverified, so any
    // certificate (an expired one, say) can be served. Files from harness/certificates.hpp.
    static TestOrigin tls(const std::string& cert_file, const std::string& key_file);
    TestOrigin(const TestOrigin&) = delete;
    TestOrigin& operator=(const TestOrigin&) = delete;
    // Stops the origin unless the test did, and checks that it exited with status 0.
    ~TestOrigin();

    int port() const noexcept { return port_; }
    bool is_tls() const noexcept { return tls_; }
    std::string url() const {
        return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
    }

    // Requests the origin received for this path (query excluded) / exact target.
    std::uint64_t requests(std::string_view path) const;
    std::uint64_t requests_for_target(std::string_view target) const;
    std::uint64_t total_requests() const;
    // The body of the last request the origin received for this path, as it came.
    std::string last_body(std::string_view path) const;
    // Connections that carried at least one counted request.
    std::uint64_t connections() const;
    std::string stats_json() const;
    // TLS mode: completed full handshakes, resumed ones, and failed ones. A completed handshake
    // counts with its connection's first counted request, as connections() does, so the
    // connections these accessors open to read /__stats never count themselves (nor does a
    // connection that closes after its handshake without a request); a failure counts at once.
    std::uint64_t tls_handshakes() const;
    std::uint64_t tls_resumed() const;
    std::uint64_t tls_failures() const;

    ExitStatus stop() {
        stopped_ = true;
        return process_.stop();
    }

private:
    TestOrigin(int port, std::vector<std::string> tls_arguments);
    std::string stats(std::string_view query) const;  // body of GET /__stats?query

    Process process_;
    int port_ = 0;
    bool tls_ = false;
    bool stopped_ = false;
};

// Percent-encodes everything but unreserved characters and '/'.
std::string url_encode(std::string_view text);

// A loopback port with nothing listening on it, held (bound, not listening) for the lifetime of
// this object so no one else takes it: connecting to it is refused.
class DeadPort {
public:
    DeadPort();
    DeadPort(const DeadPort&) = delete;
    DeadPort& operator=(const DeadPort&) = delete;
    ~DeadPort();
    int port() const noexcept { return port_; }
    // Lets the port go (a TestOrigin may take it next); port() still names it.
    void release() noexcept;

private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace cachet::integration
