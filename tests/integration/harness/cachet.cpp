#include "harness/cachet.hpp"

#include <doctest/doctest.h>

#include "harness/readiness_line.hpp"

#ifndef CACHET_BIN
#error "CACHET_BIN must name the cachet binary (tests/integration/meson.build)"
#endif

namespace cachet::integration {
namespace {

std::vector<std::string> command(const std::string& origin_url,
                                 const std::vector<std::string>& flags) {
    std::vector<std::string> argv = {CACHET_BIN, "--listen", "127.0.0.1:0", "--workers", "2"};
    if (!origin_url.empty()) argv.insert(argv.begin() + 1, {"--origin", origin_url});
    // Tests run cachets in parallel: each gets a free admin port unless the test picks one.
    bool admin_given = false;
    for (const auto& flag : flags) admin_given |= flag == "--admin" || flag.starts_with("--admin=");
    if (!admin_given) argv.insert(argv.end(), {"--admin", "127.0.0.1:0"});
    argv.insert(argv.end(), flags.begin(), flags.end());
    return argv;
}

}  // namespace

const char* cachet_binary() noexcept { return CACHET_BIN; }

Cachet::Cachet(const std::string& origin_url, const std::vector<std::string>& flags,
               Process::Options options)
    : process_(command(origin_url, flags), options) {
    constexpr std::string_view ready = "cachet listening on ";
    auto line = process_.wait_for_line(ready, Deadline::after(15s));
    if (!line) {
        std::string why = "cachet did not print \"cachet listening on 127.0.0.1:PORT\"";
        if (auto status = process_.wait_exit(Deadline::after(100ms))) {
            why += "; it " + status->describe();
        } else {
            why += " within 15 s";
        }
        std::string out = process_.stdout_text();
        if (!out.empty()) why += "; stdout: " + out.substr(0, 500);
        throw HarnessError(why);
    }
    auto port = port_in_readiness_line(*line, ready);
    if (!port) throw HarnessError("cannot read a port in '" + *line + "'");
    port_ = *port;
    admin_port_ = admin_port_in_readiness_line(*line).value_or(0);
    tls_port_ = tls_port_in_readiness_line(*line).value_or(0);
}

Cachet::~Cachet() {
    if (stopped_) return;
    try {
        ExitStatus status = process_.stop();
        CHECK_MESSAGE(status.clean(),
                      "cachet " << status.describe() << " when stopped at the end of the test");
    } catch (const HarnessError& e) {
        FAIL_CHECK(e.what());
    }
}

}  // namespace cachet::integration
