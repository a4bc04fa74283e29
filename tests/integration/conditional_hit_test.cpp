// A fresh stored response answers a client's preconditions and byte ranges itself
// (RFC 9111 §4.3.2, RFC 9110 §13 and §14), and forwards what only the origin can answer.
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

const std::string kTarget = "/doc?cc=max-age=60&etag=%22v7%22&size=1000";

void warm(const Cachet& cachet) {
    Reply first = get(cachet.port(), kTarget);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    REQUIRE(first.status == 200);
    REQUIRE(first.header("ETag") == "\"v7\"");
}

TEST_CASE("a matching If-None-Match on a fresh entry gets a 304 from the cache (RFC 9111 §4.3.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    warm(cachet);
    Reply r = get(cachet.port(), kTarget, {"If-None-Match: \"v7\""});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 304);
    CHECK(r.body.empty());
    CHECK(r.header("ETag") == "\"v7\"");
    CHECK_FALSE(r.header("Content-Length").has_value());
    CHECK_MESSAGE(cache_status(r).hit, r.describe());
    CHECK(origin.requests("/doc") == 1);

    Reply other = get(cachet.port(), kTarget, {"If-None-Match: \"v6\", W/\"v5\""});
    REQUIRE_MESSAGE(other.ok(), other.describe());
    CHECK(other.status == 200);
    CHECK(other.body.size() == 1000);
    CHECK(origin.requests("/doc") == 1);
}

TEST_CASE("a single byte range is served from a fresh entry as a 206 (RFC 9110 §14.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    warm(cachet);
    Reply full = get(cachet.port(), kTarget);
    REQUIRE(full.ok());

    Reply part = get(cachet.port(), kTarget, {"Range: bytes=100-199"});
    REQUIRE_MESSAGE(part.ok(), part.describe());
    CHECK(part.status == 206);
    CHECK(part.header("Content-Range") == "bytes 100-199/1000");
    CHECK(part.body == full.body.substr(100, 100));

    Reply tail = get(cachet.port(), kTarget, {"Range: bytes=-10"});
    REQUIRE_MESSAGE(tail.ok(), tail.describe());
    CHECK(tail.status == 206);
    CHECK(tail.body == full.body.substr(990));
    CHECK(origin.requests("/doc") == 1);
}

TEST_CASE("a range past the end gets a 416 naming the length (RFC 9110 §15.5.17)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    warm(cachet);
    Reply r = get(cachet.port(), kTarget, {"Range: bytes=5000-"});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 416);
    CHECK(r.header("Content-Range") == "bytes */1000");
    CHECK(origin.requests("/doc") == 1);
}

TEST_CASE("If-Match is the origin's to answer, so it is forwarded (RFC 9111 §4.3.2)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    warm(cachet);
    Reply r = get(cachet.port(), kTarget, {"If-Match: \"v7\""});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(origin.requests("/doc") == 2);
}

TEST_CASE(
    "only-if-cached gets a 504 when nothing is stored, and the origin is not asked (RFC 9111 "
    "§5.2.1.7)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply r = get(cachet.port(), kTarget, {"Cache-Control: only-if-cached"});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 504);
    CHECK(origin.requests("/doc") == 0);

    warm(cachet);
    Reply hit = get(cachet.port(), kTarget, {"Cache-Control: only-if-cached"});
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK(hit.status == 200);
    CHECK(origin.requests("/doc") == 1);
}

TEST_CASE("a successful POST invalidates the stored response for its URL (RFC 9111 §4.4)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/item?cc=max-age=60";
    REQUIRE(get(cachet.port(), target).ok());
    REQUIRE(cache_status(get(cachet.port(), target)).hit);

    Reply post = fetch(cachet.port(), http_request("POST", target, {}, "changed"));
    REQUIRE_MESSAGE(post.ok(), post.describe());
    CHECK(post.status == 200);

    Reply after = get(cachet.port(), target);
    REQUIRE_MESSAGE(after.ok(), after.describe());
    CHECK_MESSAGE(cache_status(after).miss(), after.describe());
    CHECK(origin.requests("/item") == 3);
}

}  // namespace
}  // namespace cachet::integration
