#include <doctest/doctest.h>

#include "config/setting_names.hpp"

using namespace cachet::config;

TEST_CASE("a setting's variable and file field are derived from its flag name") {
    CHECK(env_name("cache-size") == "CACHET_CACHE_SIZE");
    CHECK(env_name("listen") == "CACHET_LISTEN");
    CHECK(field_name("first-byte-timeout") == "first_byte_timeout");
    static_assert(is_env_name_of("cache-size", "CACHET_CACHE_SIZE"));
    static_assert(!is_env_name_of("cache-size", "CACHET_CACHESIZE"));
    static_assert(!is_env_name_of("cache-size", "CACHE_SIZE"));
}

TEST_CASE("a misspelt name suggests the nearest one, and only when it is near") {
    std::vector<std::string> fields{"cache_size", "connect_timeout", "listen", "workers"};
    CHECK(nearest_name("cache_sise", fields) == "cache_size");
    CHECK(nearest_name("worker", fields) == "workers");
    CHECK(nearest_name("lsiten", fields) == "listen");
    CHECK_FALSE(nearest_name("routes", fields).has_value());
    CHECK_FALSE(nearest_name("ab", {"cd"}).has_value());
}
