// A stored response is served again without the origin: the core promise of a cache.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE("a second GET is a hit that did not reach the origin") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/hit?cc=max-age=60";

    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(first.status == 200);
    CHECK(first.body == "test-origin response for " + target + "\n");
    CacheStatus miss = cache_status(first);
    CHECK_MESSAGE(miss.miss(), miss.raw);
    CHECK_MESSAGE(miss.stored, miss.raw);
    CHECK(first.header("Via") == "1.1 cachet");

    Reply second = get(cachet.port(), target);
    REQUIRE_MESSAGE(second.ok(), second.describe());
    CHECK(second.status == 200);
    CHECK(second.body == first.body);
    CacheStatus hit = cache_status(second);
    CHECK_MESSAGE(hit.hit, hit.raw);
    CHECK(second.header("Age").has_value());
    CHECK(second.header("X-Origin-Seq") == first.header("X-Origin-Seq"));
    CHECK(second.header("Cache-Control") == "max-age=60");
    CHECK(origin.requests("/hit") == 1);
}

TEST_CASE("hits on one kept-alive connection keep coming from the cache") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Deadline deadline = Deadline::after(20s);
    HttpConnection conn(cachet.port(), deadline);
    REQUIRE(conn.connected());
    for (int i = 0; i < 20; ++i) {
        Reply r = conn.exchange(http_request("GET", "/again?cc=max-age=60&size=5000"), deadline);
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.status == 200);
        CHECK(r.body.size() == 5000);
        CHECK_FALSE(r.closes_connection());
        if (i > 0) CHECK_MESSAGE(cache_status(r).hit, r.describe());
    }
    CHECK(origin.requests("/again") == 1);
}

TEST_CASE("a hit's Age header is a number of seconds") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    REQUIRE(get(cachet.port(), "/age?cc=max-age=60").ok());
    Reply hit = get(cachet.port(), "/age?cc=max-age=60");
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    auto age = hit.header("Age");
    REQUIRE(age.has_value());
    CHECK(!age->empty());
    CHECK(age->find_first_not_of("0123456789") == std::string::npos);
    CHECK(std::stoll(*age) < 60);
}

}  // namespace
}  // namespace cachet::integration
