#pragma once
// The cachet binary under test, as a child of the test, listening on a loopback port chosen by the
// kernel.
#include <string>
#include <vector>

#include "harness/process.hpp"

namespace cachet::integration {

class Cachet {
public:
    // `cachet --origin ORIGIN_URL --listen 127.0.0.1:0 --workers 2 [--admin 127.0.0.1:0] FLAGS...`
    // (--admin only when FLAGS has none; no --origin when ORIGIN_URL is empty, for a config
    // file's origins); throws HarnessError
    // unless it prints "cachet listening on 127.0.0.1:PORT" within 15 s.
    explicit Cachet(const std::string& origin_url, const std::vector<std::string>& flags = {},
                    Process::Options options = {});
    Cachet(const Cachet&) = delete;
    Cachet& operator=(const Cachet&) = delete;
    // Stops cachet unless the test did, and checks that it exited with status 0: a crash, a
    // sanitizer report or a hang on SIGTERM fails the test that caused it.
    ~Cachet();

    int port() const noexcept { return port_; }
    // The admin API's port, from the readiness line's ", admin HOST:PORT"; 0 without one.
    int admin_port() const noexcept { return admin_port_; }
    // The TLS listener's port, from the readiness line's ", tls HOST:PORT"; 0 without one.
    int tls_port() const noexcept { return tls_port_; }
    pid_t pid() const noexcept { return process_.pid(); }
    // Its log so far, when made with options.capture_stderr.
    std::string stderr_text() const { return process_.stderr_text(); }
    // SIGTERM, then the exit status (SIGKILL after 5 s).
    ExitStatus stop() {
        stopped_ = true;
        return process_.stop();
    }

private:
    Process process_;
    int port_ = 0;
    int admin_port_ = 0;
    int tls_port_ = 0;
    bool stopped_ = false;  // the test stopped it and judges the exit status itself
};

// The path of the binary under test, for tests that run it with other arguments.
const char* cachet_binary() noexcept;

}  // namespace cachet::integration
