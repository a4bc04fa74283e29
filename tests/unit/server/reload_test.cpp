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
    const Reload r = reload(running, next);
    CHECK(r.config.admin_port == running.admin_port);
    CHECK(r.config.admin_token == "rotated");
    CHECK(r.ignored == std::vector<std::string_view>{"admin"});
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
