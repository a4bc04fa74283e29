#include "server/reload.hpp"

#include <doctest/doctest.h>

using namespace cachet;
using namespace cachet::server;

TEST_CASE("a reload takes the settings a running process can change") {
    Config running;
    Config next = running;
    next.client_timeout = 5'000;
    next.store_set_cookie = true;
    next.max_object_size = 1 << 20;
    next.drain_timeout = 1'000;
    const Reload r = reload(running, next);
    CHECK(r.ignored.empty());
    CHECK(r.config.client_timeout == 5'000);
    CHECK(r.config.store_set_cookie);
    CHECK(r.config.max_object_size == (1u << 20));
    CHECK(r.config.drain_timeout == 1'000);
}

TEST_CASE("a reload keeps and names what only a restart changes") {
    Config running;
    running.workers = 2;
    running.origin.authority = "127.0.0.1:9000";
    Config next = running;
    next.listen_port = 9999;
    next.workers = 4;
    next.cache_size = 1u << 30;
    next.coalesce_max_waiters = 1;
    next.origin.authority = "other:80";
    const Reload r = reload(running, next);
    CHECK(r.config.listen_port == running.listen_port);
    CHECK(r.config.workers == 2);
    CHECK(r.config.cache_size == running.cache_size);
    CHECK(r.config.coalesce_max_waiters == running.coalesce_max_waiters);
    CHECK(r.config.origin.authority == "127.0.0.1:9000");
    CHECK(r.ignored == std::vector<std::string_view>{"listen", "workers", "cache_size",
                                                     "coalesce_max_waiters", "origin"});
}

TEST_CASE("the object limit stays within the budget that keeps running") {
    Config running;
    running.cache_size = 8u << 20;
    Config next = running;
    next.cache_size = 1u << 30;
    next.max_object_size = 512u << 20;
    CHECK(reload(running, next).config.max_object_size == (8u << 20));
}

TEST_CASE("the admin listener needs a restart; its token does not") {
    Config running;
    Config next = running;
    next.admin_port = 9999;
    next.admin_token = "rotated";
    next.admin_timeout = 2'000;
    const Reload r = reload(running, next);
    CHECK(r.config.admin_port == running.admin_port);
    CHECK(r.config.admin_token == "rotated");
    CHECK(r.config.admin_timeout == 2'000);
    CHECK(r.ignored == std::vector<std::string_view>{"admin"});
}

namespace {

Config with_origins() {
    Config c;
    Origin api;
    api.name = "api";
    api.servers = {{"10.0.0.1", 80, "10.0.0.1"}, {"10.0.0.2", 80, "10.0.0.2"}};
    Origin img;
    img.name = "img";
    img.servers = {{"10.0.0.3", 80, "10.0.0.3"}};
    c.origins = {api, img};
    c.default_origin = 0;
    return c;
}

}  // namespace

TEST_CASE("a reload takes an origin's timeouts and limits while its servers stay") {
    Config running = with_origins();
    Config next = running;
    next.origins[0].first_byte_timeout = 1'000;
    next.origins[1].max_fails = 9;
    const Reload r = reload(running, next);
    CHECK(r.ignored.empty());
    CHECK(r.refused.empty());
    CHECK(r.config.origins[0].first_byte_timeout == 1'000);
    CHECK(r.config.origins[1].max_fails == 9);
}

TEST_CASE("a reload keeps the running origins when their servers change, routes by name") {
    Config running = with_origins();
    Config next = running;
    next.origins[0].servers.pop_back();
    next.origins[0].connect_timeout = 1;
    std::swap(next.origins[0], next.origins[1]);  // the file lists them the other way round
    next.default_origin = 1;
    cache::Route to_img;
    to_img.origin = "img";
    to_img.origin_index = 0;  // where the new file has it
    cache::Route to_default;
    to_default.origin_index = 1;
    next.routes = {to_img, to_default};
    const Reload r = reload(running, next);
    CHECK(r.refused.empty());
    CHECK(r.ignored == std::vector<std::string_view>{"origins"});
    REQUIRE(r.config.origins.size() == 2);
    CHECK(r.config.origins[0].servers.size() == 2);
    CHECK(r.config.origins[0].connect_timeout == running.origins[0].connect_timeout);
    CHECK(r.config.default_origin == 0);
    CHECK(r.config.routes[0].origin_index == 1);  // "img" where it runs
    CHECK(r.config.routes[1].origin_index == 0);  // the running default
}

TEST_CASE("a reloaded route to an origin only a restart would add refuses the reload") {
    Config running = with_origins();
    Config next = running;
    Origin added;
    added.name = "new";
    added.servers = {{"10.0.0.9", 80, "10.0.0.9"}};
    next.origins.push_back(added);
    cache::Route to_new;
    to_new.origin = "new";
    to_new.origin_index = 2;
    next.routes = {to_new};
    const Reload r = reload(running, next);
    CHECK(r.refused ==
          "routes[0].origin: \"new\" is not a running origin (origins change only on restart)");
}

TEST_CASE("the access log keeps its destination and format until a restart") {
    Config running;
    running.access_log = "/var/log/cachet.log";
    Config next = running;
    next.access_log = "stdout";
    next.access_log_format = AccessLogFormat::combined;
    const Reload r = reload(running, next);
    CHECK(r.config.access_log == "/var/log/cachet.log");
    CHECK(r.config.access_log_format == AccessLogFormat::json);
    CHECK(r.ignored == std::vector<std::string_view>{"access_log", "access_log_format"});
}

TEST_CASE("TLS listeners, their files' paths and origins' TLS checks need a restart") {
    Config running;
    running.tls_cert = "a.pem";
    running.tls_key = "a.key";
    Origin origin;
    origin.name = "api";
    OriginAddress server;
    server.tls = true;
    origin.servers = {server};
    running.origins = {origin};
    Config next = running;
    next.tls_cert = "b.pem";
    next.tls_listen_set = true;
    next.tls_listen_port = 8443;
    next.origin_ca = "ca.pem";
    next.origins[0].insecure = true;
    const Reload r = reload(running, next);
    CHECK(r.config.tls_cert == "a.pem");
    CHECK_FALSE(r.config.tls_listen_set);
    CHECK(r.config.origin_ca.empty());
    CHECK_FALSE(r.config.origins[0].insecure);
    CHECK(r.ignored ==
          std::vector<std::string_view>{"tls_cert", "tls_listen", "origin_ca", "origins"});
}
