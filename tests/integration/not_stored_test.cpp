// What must not be stored (RFC 9111 §3, §3.5) is not: each request reaches the origin, and
// Cache-Status says the response was not stored and why.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

void check_not_stored(const Reply& r) {
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 200);
    CacheStatus s = cache_status(r);
    CHECK_MESSAGE(s.miss(), s.raw);
    CHECK_MESSAGE(!s.stored, s.raw);
    CHECK_MESSAGE(!s.hit, s.raw);
    CHECK_MESSAGE(!s.detail.empty(), s.raw);
}

TEST_CASE("a response with Cache-Control: no-store is never stored") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (int i = 0; i < 3; ++i) {
        Reply r = get(cachet.port(), "/nostore?cc=no-store");
        check_not_stored(r);
        CHECK_MESSAGE(cache_status(r).detail == "no-store", cache_status(r).raw);
    }
    CHECK(origin.requests("/nostore") == 3);
}

TEST_CASE("a response with Cache-Control: private is not stored") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    check_not_stored(get(cachet.port(), "/private?cc=private,%20max-age=60"));
    check_not_stored(get(cachet.port(), "/private?cc=private,%20max-age=60"));
    CHECK(origin.requests("/private") == 2);
}

TEST_CASE("fields named by a qualified private or no-cache reach the client but are not stored") {
    // RFC 9111 §5.2.2.7 (a shared cache MUST NOT store them) and §5.2.2.4 (MUST NOT send
    // them without validation); the rest of the response is stored and served.
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (const char* directive : {"private", "no-cache"}) {
        const std::string target = std::string("/withheld-") + directive + "?cc=max-age%3D60,%20" +
                                   directive +
                                   "%3D%22X-Secret%22&header=X-Secret:s3&header=X-Other:o";
        Reply miss = get(cachet.port(), target);
        REQUIRE_MESSAGE(miss.ok(), miss.describe());
        CHECK(miss.header("X-Secret") == "s3");
        CHECK(cache_status(miss).stored);
        Reply hit = get(cachet.port(), target);
        REQUIRE_MESSAGE(hit.ok(), hit.describe());
        CHECK_MESSAGE(cache_status(hit).hit, directive);
        CHECK_MESSAGE(!hit.header("X-Secret"), directive);
        CHECK(hit.header("X-Other") == "o");
        CHECK(origin.requests(std::string("/withheld-") + directive) == 1);
    }
}

TEST_CASE("a response that sets a cookie is not stored, and the cookie reaches the client") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply first = get(cachet.port(), "/cookie?cc=max-age=60&set_cookie=1");
    check_not_stored(first);
    CHECK(first.header("Set-Cookie").has_value());
    Reply second = get(cachet.port(), "/cookie?cc=max-age=60&set_cookie=1");
    check_not_stored(second);
    CHECK(first.header("Set-Cookie") != second.header("Set-Cookie"));
    CHECK(origin.requests("/cookie") == 2);
}

TEST_CASE("a response to a request with Authorization is not stored") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/auth?cc=max-age=60";
    check_not_stored(get(cachet.port(), target, {"Authorization: Bearer alice"}));
    check_not_stored(get(cachet.port(), target, {"Authorization: Bearer alice"}));
    CHECK(origin.requests("/auth") == 2);
    // Nothing was stored for anyone: a request without credentials reaches the origin too, and
    // never gets what Alice got.
    Reply anonymous = get(cachet.port(), target);
    REQUIRE_MESSAGE(anonymous.ok(), anonymous.describe());
    CHECK_FALSE(cache_status(anonymous).hit);
    CHECK(origin.requests("/auth") == 3);
}

}  // namespace
}  // namespace cachet::integration
