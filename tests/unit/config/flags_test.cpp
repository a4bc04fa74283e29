#include <doctest/doctest.h>

#include <cstring>

#include "config/flags.hpp"
#include "config/units.hpp"

using namespace cachet;
using namespace cachet::config;

namespace {

const char* no_env(const char*) { return nullptr; }

const char* test_env(const char* name) {
    if (std::strcmp(name, "CACHET_ORIGIN") == 0) return "http://10.0.0.1:9000";
    if (std::strcmp(name, "CACHET_WORKERS") == 0) return "3";
    return nullptr;
}

FlagsResult parse(std::vector<std::string_view> args, EnvLookup env = no_env) {
    return parse_flags(args, env);
}

}  // namespace

TEST_CASE("sizes accept k, m and g suffixes in powers of 1024") {
    CHECK(parse_size("4096") == 4096u);
    CHECK(parse_size("64k") == 64u * 1024);
    CHECK(parse_size("256m") == 256u << 20);
    CHECK(parse_size("1G") == 1u << 30);
    CHECK(parse_size("2MiB") == 2u << 20);
    CHECK_FALSE(parse_size("lots").has_value());
    CHECK_FALSE(parse_size("-1m").has_value());
    CHECK_FALSE(parse_size("99999999999999999999g").has_value());
}

TEST_CASE("durations accept ms, s, m and h, and a bare number is seconds") {
    CHECK(parse_duration("500ms") == 500u);
    CHECK(parse_duration("2s") == 2000u);
    CHECK(parse_duration("3") == 3000u);
    CHECK(parse_duration("1m") == 60000u);
    CHECK(parse_duration("1h") == 3600000u);
    CHECK_FALSE(parse_duration("soon").has_value());
    CHECK_FALSE(parse_duration("5 s").has_value());
}

TEST_CASE("flags fill the config and --origin is required") {
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--listen", "0.0.0.0:0",
                         "--workers=4", "--cache-size", "64m", "--first-byte-timeout", "500ms"});
    REQUIRE(parsed.has_value());
    const Config& c = parsed->config;
    CHECK(c.origin.host == "127.0.0.1");
    CHECK(c.origin.port == 9000);
    CHECK(c.origin.authority == "127.0.0.1:9000");
    CHECK(c.listen_host == "0.0.0.0");
    CHECK(c.listen_port == 0);
    CHECK(c.workers == 4);
    CHECK(c.cache_size == 64u << 20);
    CHECK(c.first_byte_timeout == 500u);

    auto missing = parse({"--listen", "127.0.0.1:8080"});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().find("--origin") != std::string::npos);
}

TEST_CASE("an unknown flag is an error that names it") {
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--cache-sise", "1m"});
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().find("--cache-sise") != std::string::npos);
}

TEST_CASE("an invalid value is an error that names the flag and the value") {
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--connect-timeout", "thirty"});
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().find("--connect-timeout") != std::string::npos);
    CHECK(parsed.error().find("thirty") != std::string::npos);

    CHECK_FALSE(parse({"--origin", "https://example.com"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:99999"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000/api"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--listen", "8080"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--workers"}).has_value());
}

TEST_CASE("environment variables configure cachet and flags override them") {
    auto from_env = parse({}, test_env);
    REQUIRE(from_env.has_value());
    CHECK(from_env->config.origin.host == "10.0.0.1");
    CHECK(from_env->config.workers == 3);

    auto overridden = parse({"--workers", "1"}, test_env);
    REQUIRE(overridden.has_value());
    CHECK(overridden->config.workers == 1);
}

TEST_CASE("--help asks for the help text, which lists every flag") {
    auto parsed = parse({"--help"});
    REQUIRE(parsed.has_value());
    CHECK(parsed->action == ParsedFlags::Action::help);
    std::string help = help_text();
    for (auto flag :
         {"--listen", "--origin", "--workers", "--cache-size", "--max-object-size",
          "--connect-timeout", "--first-byte-timeout", "--origin-idle-timeout", "--client-timeout",
          "--coalesce-max-waiters", "--coalesce-timeout", "--origin-keepalive"}) {
        CHECK_MESSAGE(help.find(flag) != std::string::npos, flag);
    }
}

TEST_CASE("an IPv6 origin keeps its brackets in the authority") {
    auto origin = parse_origin_url("http://[::1]:8081");
    REQUIRE(origin.has_value());
    CHECK(origin->host == "::1");
    CHECK(origin->port == 8081);
    CHECK(origin->authority == "[::1]:8081");
}

TEST_CASE("--admin takes HOST:PORT or off, and --admin-token its environment variable") {
    auto defaults = parse({"--origin", "http://127.0.0.1:9000"});
    REQUIRE(defaults.has_value());
    CHECK(defaults->config.admin_enabled);
    CHECK(defaults->config.admin_host == "127.0.0.1");
    CHECK(defaults->config.admin_port == 9091);
    CHECK(defaults->config.admin_token.empty());

    auto set = parse(
        {"--origin", "http://127.0.0.1:9000", "--admin", "[::1]:0", "--admin-token", "t0ken"});
    REQUIRE(set.has_value());
    CHECK(set->config.admin_host == "::1");
    CHECK(set->config.admin_port == 0);
    CHECK(set->config.admin_token == "t0ken");

    auto off = parse({"--origin", "http://127.0.0.1:9000", "--admin", "off"});
    REQUIRE(off.has_value());
    CHECK_FALSE(off->config.admin_enabled);

    auto bad = parse({"--origin", "http://127.0.0.1:9000", "--admin", "9091"});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().find("--admin") != std::string::npos);

    auto env = parse({"--origin", "http://127.0.0.1:9000"}, [](const char* name) -> const char* {
        return std::strcmp(name, "CACHET_ADMIN_TOKEN") == 0 ? "from-env" : nullptr;
    });
    REQUIRE(env.has_value());
    CHECK(env->config.admin_token == "from-env");
}

TEST_CASE("--purge-tag-header takes one or more field names, Surrogate-Key by default") {
    auto defaults = parse({"--origin", "http://127.0.0.1:9000"});
    REQUIRE(defaults);
    CHECK(defaults->config.purge_tag_headers == std::vector<std::string>{"Surrogate-Key"});

    auto two = parse(
        {"--origin", "http://127.0.0.1:9000", "--purge-tag-header", "Surrogate-Key, Cache-Tag"});
    REQUIRE(two);
    CHECK(two->config.purge_tag_headers == std::vector<std::string>{"Surrogate-Key", "Cache-Tag"});

    auto env = parse({"--origin", "http://127.0.0.1:9000"}, [](const char* name) -> const char* {
        return std::strcmp(name, "CACHET_PURGE_TAG_HEADER") == 0 ? "Cache-Tag" : nullptr;
    });
    REQUIRE(env);
    CHECK(env->config.purge_tag_headers == std::vector<std::string>{"Cache-Tag"});

    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--purge-tag-header", "a b"}));
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--purge-tag-header", "a,,b"}));
}
