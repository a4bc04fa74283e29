#pragma once
// What the test origin has been asked, so an integration test can prove a response did not come
// from the origin. Read directly from the origin at GET /__stats, never through cachet.
//
// A connection counts once it carries a counted request, so the connections a test opens to read
// /__stats do not inflate the figure that origin-connection reuse is judged by.
//
// On a TLS listener a connection's handshake counts the same way, with its first counted request
// (full or resumed), so reading /__stats over TLS does not count its own handshake, and neither
// does a connection closed after its handshake without a request; a handshake that failed counts
// at once, as no request can follow it.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cachet::tools {

struct Counted {
    std::uint64_t sequence = 0;    // 1-based position among all counted requests
    std::uint64_t path_count = 0;  // requests for this path so far, this one included
};

class Stats {
public:
    // connection_is_new: this is the first counted request on its connection.
    Counted count(std::string_view path, std::string_view target, bool connection_is_new);
    void reset();
    void count_tls_handshake(bool resumed);
    void count_tls_failure() noexcept { ++tls_failures_; }

    std::uint64_t requests() const noexcept { return requests_; }
    std::uint64_t for_path(std::string_view path) const;
    std::uint64_t for_target(std::string_view target) const;
    // The body of the last counted request for this path ("" when none had one).
    void keep_body(std::string_view path, std::string body);
    std::string last_body(std::string_view path) const;
    // {"requests": 4, "connections": 2, "tls_handshakes": 0, "tls_resumed": 0,
    //  "tls_failures": 0, "paths": {"/a": 3}, "targets": {"/a?x=1": 1, ...}}
    std::string to_json() const;

private:
    std::uint64_t requests_ = 0;
    std::uint64_t connections_ = 0;
    std::uint64_t tls_handshakes_ = 0;  // full handshakes
    std::uint64_t tls_resumed_ = 0;     // abbreviated ones, with a session ticket
    std::uint64_t tls_failures_ = 0;
    std::map<std::string, std::uint64_t, std::less<>> paths_;
    std::map<std::string, std::uint64_t, std::less<>> targets_;
    std::map<std::string, std::string, std::less<>> last_bodies_;
};

}  // namespace cachet::tools
