#pragma once
// The config file's `origins`: a JSON object of named origins, each one or more servers and
// its own timeouts and limits (docs/configuration.md, "Origins"), and how a configuration's
// origins are settled once every source is read: --origin becomes the origin "default", a
// setting an origin leaves out is the flag's, and each route's origin name becomes an index.
// Errors name the path of the field, e.g. `origins.api.servers[1]: expected ...`.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cachet/config.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace cachet::config {

// One origin as the file writes it: what it leaves out is empty, and filled in by
// resolve_origins from the flags.
struct OriginSpec {
    std::string name;
    std::vector<OriginAddress> servers;
    std::optional<Millis> connect_timeout;
    std::optional<Millis> first_byte_timeout;
    std::optional<Millis> idle_timeout;
    std::optional<unsigned> keepalive;
    std::optional<unsigned> max_fails;
    std::optional<Millis> fail_timeout;
    std::optional<std::string> sni;
    std::optional<std::string> ca_file;
    bool insecure = false;
};

inline constexpr std::size_t kMaxOrigins = 256;
inline constexpr std::size_t kMaxServersPerOrigin = 256;
inline constexpr std::string_view kDefaultOriginName = "default";

using OriginSpecsResult = tl::expected<std::vector<OriginSpec>, std::string>;

// `json`: the field's value as written (an object of origins by name).
OriginSpecsResult parse_origins(std::string_view json);

// Fills c.origins, c.default_origin and every route's origin_index from the file's origins
// and the flags read into c (--origin, --connect-timeout, ...). The origin "default" is
// --origin's servers (replacing those the file gives it) and is the default; without one,
// the first origin is. Empty when valid, else the error naming the field.
std::string resolve_origins(Config& c, const std::vector<OriginSpec>& specs);

// The origins as one line of JSON that parse_origins reads back to the same origins.
std::string origins_json(const std::vector<Origin>& origins);

}  // namespace cachet::config
