// Every way an origin may frame a body (RFC 9112 §6.3) is relayed intact and stored intact.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

void check_relayed_then_hit(const std::string& path, const std::string& framing) {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = path + "?cc=max-age=60&size=300000&" + framing;
    const std::string expected = tools::pattern_bytes(0, 300000);

    Reply miss = get(cachet.port(), target);
    REQUIRE_MESSAGE(miss.ok(), miss.describe());
    CHECK(miss.status == 200);
    CHECK(miss.body.size() == expected.size());
    CHECK(miss.body == expected);

    Reply hit = get(cachet.port(), target);
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK_MESSAGE(cache_status(hit).hit, hit.describe());
    CHECK(hit.body == expected);
    CHECK(origin.requests(path) == 1);
}

TEST_CASE("a chunked origin body is relayed intact and then served from the cache") {
    check_relayed_then_hit("/chunked", "chunked=1");
}

TEST_CASE("a chunked origin body in many tiny chunks is relayed intact") {
    check_relayed_then_hit("/tiny-chunks", "chunked=1&chunk_size=7");
}

TEST_CASE("a close-delimited origin body is relayed intact and then served from the cache") {
    check_relayed_then_hit("/close-delimited", "close=1");
}

TEST_CASE("an empty origin body is relayed and stored") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply miss = get(cachet.port(), "/empty?cc=max-age=60&size=0");
    REQUIRE_MESSAGE(miss.ok(), miss.describe());
    CHECK(miss.body.empty());
    Reply hit = get(cachet.port(), "/empty?cc=max-age=60&size=0");
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK(hit.body.empty());
    CHECK(origin.requests("/empty") == 1);
}

TEST_CASE("an origin header folded over two lines reaches clients as one line (RFC 9112 §5.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (int i = 0; i < 2; ++i) {  // the miss, then the stored copy
        Reply r = get(cachet.port(), "/folded?bad=fold");
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CHECK(r.status == 200);
        REQUIRE(r.header("X-Folded"));
        CHECK(r.header("X-Folded")->find_first_of("\r\n") == std::string::npos);
        CHECK(r.header("X-Folded")->find("first") == 0);
        CHECK(r.header("X-Folded")->find("second") != std::string::npos);
        CHECK(r.body == "ok");
    }
    CHECK(origin.requests("/folded") == 1);
}

}  // namespace
}  // namespace cachet::integration
