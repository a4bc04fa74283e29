#pragma once
// One record of a snapshot file (docs/snapshot-format.md): an exchange recorded in
// `--mode record`, or a stored entry saved by `--persist`. The same records are read by
// `--mode replay`, by a restart with `--persist` and by `cachet snapshot`.
//
// RecordView is what the reader hands out: views into the file's bytes, valid for the
// callback only (loading a large file copies each body once, into its entry). Record owns
// its bytes: what the recorder queues and the writer writes.
#include <cstdint>
#include <string>
#include <string_view>

namespace cachet::snapshot {

enum class RecordKind : std::uint8_t {
    exchange = 1,  // an origin exchange, recorded (every response, stored or not)
    entry = 2,     // a stored entry, saved by --persist
};

// The fields of a record; the strings are views (RecordView) or owned (Record).
template <typename Text>
struct RecordFields {
    RecordKind kind = RecordKind::exchange;
    // The key the response is matched by: the cache key cachet built for the request
    // (cache/key.hpp, a route's key, a body key), exactly as the store would hold it.
    Text key{};
    Text method{};        // the request's method as sent: "GET", "POST"
    Text url{};           // the request's host and target as sent: "api.example.com/v1/a?b=1"
    Text request_body{};  // the request's body (POST, PUT...): shown by `snapshot show`
    std::uint16_t status = 0;
    // The response head: the status line and the field lines, each ending CRLF, without
    // the final empty line (as cache::Entry keeps it).
    Text head{};
    Text body{};
    // The origin's latency in microseconds: from the request written to the response's
    // last byte (exchange records; 0 for entries).
    std::uint32_t latency_us = 0;
    // cache::Freshness and cache::StaleRules of a stored entry, seconds since the epoch
    // (entry records; for exchanges, response_time is when the response ended and the rest
    // is 0).
    std::int64_t response_time = 0;
    std::int64_t initial_age = 0;
    std::int64_t lifetime = 0;
    std::int64_t keep_until = 0;
    std::uint32_t stale_while_revalidate = 0;
    std::uint32_t stale_if_error = 0;
    bool must_revalidate = false;
    bool has_validators = false;
    bool vary_marker = false;  // an entry that is a URL's vary marker (cache/variants.hpp)
};

using RecordView = RecordFields<std::string_view>;
using Record = RecordFields<std::string>;

}  // namespace cachet::snapshot
