#include "config/current_value.hpp"

#include <array>

#include "config/mode_setters.hpp"
#include "config/units.hpp"

namespace cachet::config {
namespace {

using Render = std::string (*)(const Config&);

struct Rendering {
    std::string_view flag;
    Render render;
};

std::string render_listen(const Config& c) {
    bool v6 = c.listen_host.find(':') != std::string::npos;
    std::string host = v6 ? "[" + c.listen_host + "]" : c.listen_host;
    return host + ":" + std::to_string(c.listen_port);
}

std::string render_bool(bool b) { return b ? "true" : "false"; }

constexpr std::array kRenderings = {
    Rendering{"listen", render_listen},
    Rendering{"origin",
              [](const Config& c) {
                  if (!c.origin_set) return std::string();
                  return (c.origin.tls ? "https://" : "http://") + c.origin.authority;
              }},
    Rendering{"tls-listen",
              [](const Config& c) {
                  if (!c.tls_listen_set) return std::string();
                  bool v6 = c.tls_listen_host.find(':') != std::string::npos;
                  return (v6 ? "[" + c.tls_listen_host + "]" : c.tls_listen_host) + ":" +
                         std::to_string(c.tls_listen_port);
              }},
    Rendering{"tls-cert", [](const Config& c) { return c.tls_cert; }},
    Rendering{"tls-key", [](const Config& c) { return c.tls_key; }},
    Rendering{"origin-ca", [](const Config& c) { return c.origin_ca; }},
    Rendering{"workers", [](const Config& c) { return std::to_string(c.workers); }},
    Rendering{"cache-size", [](const Config& c) { return format_size(c.cache_size); }},
    Rendering{"max-object-size", [](const Config& c) { return format_size(c.max_object_size); }},
    Rendering{"connect-timeout",
              [](const Config& c) { return format_duration(c.connect_timeout); }},
    Rendering{"first-byte-timeout",
              [](const Config& c) { return format_duration(c.first_byte_timeout); }},
    Rendering{"origin-idle-timeout",
              [](const Config& c) { return format_duration(c.origin_idle_timeout); }},
    Rendering{"client-timeout", [](const Config& c) { return format_duration(c.client_timeout); }},
    Rendering{"coalesce-max-waiters",
              [](const Config& c) { return std::to_string(c.coalesce_max_waiters); }},
    Rendering{"coalesce-timeout",
              [](const Config& c) { return format_duration(c.coalesce_timeout); }},
    Rendering{"origin-keepalive",
              [](const Config& c) { return std::to_string(c.origin_keepalive); }},
    Rendering{"origin-max-fails",
              [](const Config& c) { return std::to_string(c.origin_max_fails); }},
    Rendering{"origin-fail-timeout",
              [](const Config& c) { return format_duration(c.origin_fail_timeout); }},
    Rendering{"store-set-cookie", [](const Config& c) { return render_bool(c.store_set_cookie); }},
    Rendering{"drain-timeout", [](const Config& c) { return format_duration(c.drain_timeout); }},
    Rendering{"admin",
              [](const Config& c) {
                  if (!c.admin_enabled) return std::string("off");
                  bool v6 = c.admin_host.find(':') != std::string::npos;
                  return (v6 ? "[" + c.admin_host + "]" : c.admin_host) + ":" +
                         std::to_string(c.admin_port);
              }},
    // The secret itself; print_config shows "(redacted)" in its place when one is set.
    Rendering{"admin-token", [](const Config& c) { return c.admin_token; }},
    Rendering{"admin-timeout", [](const Config& c) { return format_duration(c.admin_timeout); }},
    Rendering{"purge-tag-header",
              [](const Config& c) {
                  std::string names;
                  for (const auto& name : c.purge_tag_headers) {
                      names += (names.empty() ? "" : ",") + name;
                  }
                  return names;
              }},
    Rendering{"access-log", [](const Config& c) { return c.access_log; }},
    Rendering{"access-log-format",
              [](const Config& c) {
                  return std::string(c.access_log_format == AccessLogFormat::combined ? "combined"
                                                                                      : "json");
              }},
    Rendering{"mode", [](const Config& c) { return std::string(name(c.mode)); }},
    Rendering{"snapshot", [](const Config& c) { return c.snapshot; }},
    Rendering{"replay-miss", [](const Config& c) { return std::string(name(c.replay_miss)); }},
    Rendering{"replay-miss-status",
              [](const Config& c) { return std::to_string(c.replay_miss_status); }},
    Rendering{"replay-order", [](const Config& c) { return std::string(name(c.replay_order)); }},
    Rendering{"replay-date", [](const Config& c) { return std::string(name(c.replay_date)); }},
    Rendering{"replay-latency", [](const Config& c) { return c.replay_latency.text; }},
    Rendering{"replay-latency-scale",
              [](const Config& c) { return format_factor(c.replay_latency_scale); }},
    Rendering{"seed", [](const Config& c) { return std::to_string(c.seed); }},
    Rendering{"replay-match-host",
              [](const Config& c) { return render_bool(c.replay_match_host); }},
    Rendering{"persist", [](const Config& c) { return c.persist; }},
    Rendering{"persist-interval",
              [](const Config& c) { return format_duration(c.persist_interval); }},
    Rendering{"persist-partial", [](const Config& c) { return render_bool(c.persist_partial); }},
    Rendering{"replay-report", [](const Config& c) { return c.replay_report; }},
};

}  // namespace

std::optional<std::string> current_value(const Config& config, std::string_view flag) {
    for (const auto& r : kRenderings) {
        if (r.flag == flag) return r.render(config);
    }
    return std::nullopt;
}

}  // namespace cachet::config
