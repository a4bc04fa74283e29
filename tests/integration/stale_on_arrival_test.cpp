// A response that is stale when it arrives (no-cache, max-age=0, s-maxage=0, an Expires in
// the past) is stored when it carries a validator, and every later request revalidates it
// with If-None-Match / If-Modified-Since instead of fetching it whole (RFC 9111 §4.3,
// §5.2.2.4). It is never served without that validation.
#include <doctest/doctest.h>

#include <string>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

bool has_member(const CacheStatus& status, std::string_view member) {
    return status.raw.find(member) != std::string::npos;
}

void check_revalidated(const Reply& reply, const Reply& first) {
    REQUIRE_MESSAGE(reply.ok(), reply.describe());
    CHECK(reply.status == 200);
    // The stored body, served because the origin answered the conditional with a 304.
    CHECK(reply.body == first.body);
    CacheStatus status = cache_status(reply);
    CHECK_MESSAGE(status.fwd == "stale", status.raw);
    CHECK_MESSAGE(has_member(status, "fwd-status=304"), status.raw);
    CHECK_MESSAGE(!status.hit, status.raw);
}

TEST_CASE(
    "a response stale on arrival with a validator is revalidated before every use "
    "(RFC 9111 §4.3.1, §5.2.2.4)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string etag = "etag=%22v1%22";
    const std::string last_modified =
        "last_modified=" + url_encode("Sun, 06 Nov 1994 08:49:37 GMT");
    const std::string past = "expires=" + url_encode("Thu, 01 Jan 1970 00:00:00 GMT");
    for (const std::string path : {"/no-cache", "/max-age-0", "/s-maxage-0", "/expired"}) {
        CAPTURE(path);
        const std::string target = path == "/no-cache"    ? path + "?cc=no-cache&" + etag
                                   : path == "/max-age-0" ? path + "?cc=max-age=0&" + last_modified
                                   : path == "/s-maxage-0"
                                       ? path + "?cc=s-maxage=0&" + etag
                                       : path + "?" + past + "&" + last_modified;
        Reply first = get(cachet.port(), target);
        REQUIRE_MESSAGE(first.ok(), first.describe());
        CacheStatus stored = cache_status(first);
        CHECK_MESSAGE(stored.miss(), stored.raw);
        CHECK_MESSAGE(stored.stored, stored.raw);

        for (int i = 0; i < 2; ++i) check_revalidated(get(cachet.port(), target), first);
        CHECK(origin.requests(path) == 3);
    }
}

TEST_CASE("a no-cache response without a validator is not stored: each request fetches it whole") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    for (int i = 0; i < 2; ++i) {
        Reply r = get(cachet.port(), "/plain?cc=no-cache");
        REQUIRE_MESSAGE(r.ok(), r.describe());
        CacheStatus status = cache_status(r);
        CHECK_MESSAGE(status.miss(), status.raw);
        CHECK_MESSAGE(!status.stored, status.raw);
        CHECK_MESSAGE(status.detail == "no-freshness", status.raw);
    }
    CHECK(origin.requests("/plain") == 2);
}

TEST_CASE(
    "a stored no-cache response is not served for a client's max-stale "
    "(RFC 9111 §4.2.4, §5.2.2.4)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/nc?cc=no-cache,stale-while-revalidate=60&etag=%22v1%22";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    check_revalidated(get(cachet.port(), target, {"Cache-Control: max-stale"}), first);
    check_revalidated(get(cachet.port(), target, {"Cache-Control: max-stale=3600"}), first);
    CHECK(origin.requests("/nc") == 3);
}

TEST_CASE(
    "a stored no-cache response does not stand in for an origin that is down, even with "
    "stale-if-error (RFC 9111 §5.2.2.4)") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--connect-timeout", "500ms"});
    const std::string target = "/nc-down?cc=no-cache,stale-if-error=600&etag=%22v1%22";
    Reply first = get(cachet.port(), target);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    REQUIRE_MESSAGE(cache_status(first).stored, cache_status(first).raw);
    origin.stop();
    Reply r = get(cachet.port(), target);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.status == 502);
}

TEST_CASE("a changed response replaces the stored no-cache one (RFC 9111 §4.3.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // The origin takes its ETag from the request and never answers 304 (no etag=): each
    // revalidation gets a full 200, which is stored in place of the old response.
    const std::string target = "/changes?cc=no-cache&header_from=ETag:X-Test-ETag";
    Reply first = get(cachet.port(), target, {"X-Test-ETag: \"v1\""});
    REQUIRE_MESSAGE(first.ok(), first.describe());
    REQUIRE_MESSAGE(cache_status(first).stored, cache_status(first).raw);

    Reply changed = get(cachet.port(), target, {"X-Test-ETag: \"v2\""});
    REQUIRE_MESSAGE(changed.ok(), changed.describe());
    CHECK(changed.header("ETag") == "\"v2\"");
    CHECK(changed.header("X-Origin-Seq") != first.header("X-Origin-Seq"));
    CacheStatus status = cache_status(changed);
    CHECK_MESSAGE(has_member(status, "fwd-status=200"), status.raw);
    CHECK_MESSAGE(status.stored, status.raw);
    CHECK(origin.requests("/changes") == 2);

    Reply again = get(cachet.port(), target, {"X-Test-ETag: \"v3\""});
    REQUIRE_MESSAGE(again.ok(), again.describe());
    CHECK(again.header("ETag") == "\"v3\"");
    CHECK(origin.requests_for_target(target) == 3);
}

}  // namespace
}  // namespace cachet::integration
