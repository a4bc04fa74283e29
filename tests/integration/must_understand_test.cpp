// must-understand (RFC 9111 §5.2.2.3): a cache that understands the response's status code
// stores it despite the no-store that comes with it; one that does not, does not store it.
#include <doctest/doctest.h>

#include <string>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

TEST_CASE(
    "must-understand with no-store is stored for a status cachet understands (RFC 9111 §5.2.2.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/understood?cc=must-understand,no-store,max-age=60";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(first.status == 200);
    CHECK_MESSAGE(cache_status(first).stored, cache_status(first).raw);

    Reply second = get(cachet.port(), target);
    REQUIRE_MESSAGE(second.ok(), second.describe());
    CHECK_MESSAGE(cache_status(second).hit, cache_status(second).raw);
    CHECK(second.body == first.body);
    CHECK(origin.requests("/understood") == 1);
}

TEST_CASE(
    "must-understand with a status cachet does not understand is not stored (RFC 9111 §3, "
    "§5.2.2.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (const std::string cc :
         {"must-understand,no-store,max-age=60", "must-understand,max-age=60"}) {
        CAPTURE(cc);
        const std::string path = "/unknown-" + std::to_string(cc.size());
        const std::string target = path + "?status=299&cc=" + cc;
        for (int i = 0; i < 2; ++i) {
            Reply r = get(cachet.port(), target);
            REQUIRE_MESSAGE(r.ok(), r.describe());
            CHECK(r.status == 299);
            CacheStatus status = cache_status(r);
            CHECK_MESSAGE(status.miss(), status.raw);
            CHECK_MESSAGE(!status.stored, status.raw);
            CHECK_MESSAGE(status.detail == "status", status.raw);
        }
        CHECK(origin.requests(path) == 2);
    }
}

TEST_CASE("without must-understand, an unknown status with max-age is stored (RFC 9111 §3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/unknown-fresh?status=299&cc=max-age=60";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    CHECK(first.status == 299);
    CHECK_MESSAGE(cache_status(first).stored, cache_status(first).raw);
    Reply second = get(cachet.port(), target);
    REQUIRE_MESSAGE(second.ok(), second.describe());
    CHECK(second.status == 299);
    CHECK_MESSAGE(cache_status(second).hit, cache_status(second).raw);
    CHECK(origin.requests("/unknown-fresh") == 1);
}

TEST_CASE(
    "no-store without must-understand is honoured for an understood status (RFC 9111 §5.2.2.5)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (int i = 0; i < 2; ++i) {
        Reply r = get(cachet.port(), "/plain-no-store?cc=no-store,max-age=60");
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK_MESSAGE(cache_status(r).detail == "no-store", cache_status(r).raw);
    }
    CHECK(origin.requests("/plain-no-store") == 2);
}

}  // namespace
}  // namespace cachet::integration
