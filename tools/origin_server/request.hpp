#pragma once
// One HTTP/1.1 request as an origin received it, copied out of the read buffer so that it stays
// valid while the response is produced asynchronously (delays, stalls, streaming).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "origin_server/fnv1a.hpp"

namespace cachet::tools {

struct Header {
    std::string name;   // as received, case preserved
    std::string value;  // as llhttp delivers it: surrounding whitespace removed
};

struct Request {
    std::string method;
    std::string target;  // path + query, exactly as sent
    unsigned http_major = 1;
    unsigned http_minor = 1;
    std::vector<Header> headers;
    std::uint64_t body_length = 0;  // bytes
    Fnv1a64 body_checksum;          // over the decoded body bytes
    // The decoded body's first kKeptBody bytes (a JSON-RPC batch to answer, a body a test
    // reads back); body_length counts them all.
    static constexpr std::size_t kKeptBody = 1u << 20;
    std::string body;
    bool keep_alive = true;  // llhttp_should_keep_alive() at message end

    // The first header with this name (ASCII case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const noexcept;
    std::string_view path() const noexcept;   // target up to '?'
    std::string_view query() const noexcept;  // after '?', empty when absent
};

}  // namespace cachet::tools
