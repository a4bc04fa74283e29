// POST /purge on the admin port: by URL (with its variants), prefix and tag, hard and soft,
// behind the bearer token; the origin's own counter shows what the next request did.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

const std::string token = "s3cret-token";

Reply purge(const Cachet& cachet, const std::string& body, const std::string& bearer = token) {
    std::vector<std::string> headers{"Content-Type: application/json"};
    if (!bearer.empty()) headers.push_back("Authorization: Bearer " + bearer);
    return fetch(cachet.admin_port(), http_request("POST", "/purge", headers, body));
}

// Stored, then a hit: the origin saw the target once.
void warm(const Cachet& cachet, const std::string& target,
          const std::vector<std::string>& headers = {}) {
    Reply first = get(cachet.port(), target, headers);
    REQUIRE_MESSAGE(first.ok(), first.describe());
    REQUIRE_MESSAGE(cache_status(first).stored, first.describe());
    Reply hit = get(cachet.port(), target, headers);
    REQUIRE_MESSAGE(cache_status(hit).hit, hit.describe());
}

bool wait_for_requests(const TestOrigin& origin, std::string_view path, std::uint64_t count) {
    auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline) {
        if (origin.requests(path) >= count) return true;
        std::this_thread::sleep_for(20ms);  // polling the origin's own counter, bounded
    }
    return false;
}

}  // namespace

TEST_CASE("purge: a URL's variants all go, and the next requests reach the origin") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    const std::string target = "/v?cc=max-age=600&header=Vary:%20Accept";
    warm(cachet, target, {"Accept: text/html"});
    warm(cachet, target, {"Accept: application/json"});
    warm(cachet, "/v-other?cc=max-age=600");
    REQUIRE(origin.requests("/v") == 2);

    Reply purged = purge(cachet, R"({"url": "http://127.0.0.1)" + target + R"("})");
    REQUIRE_MESSAGE(purged.status == 200, purged.describe());
    CHECK(purged.header("Content-Type") == "application/json");
    CHECK(purged.body == R"({"purged":3})");  // two variants and their marker

    CHECK(cache_status(get(cachet.port(), target, {"Accept: text/html"})).miss());
    // The first refetch wrote a new marker: the other variant is a vary-miss, not a hit.
    CHECK(cache_status(get(cachet.port(), target, {"Accept: application/json"})).fwd ==
          "vary-miss");
    CHECK(origin.requests("/v") == 4);
    CHECK(cache_status(get(cachet.port(), "/v-other?cc=max-age=600")).hit);

    Reply metrics = get(cachet.admin_port(), "/metrics");
    CHECK(metrics.body.find("\ncachet_purges_total 3\n") != std::string::npos);
}

TEST_CASE("purge: a prefix, for one host or all, and tags in two configured fields") {
    TestOrigin origin;
    Cachet cachet(origin.url(),
                  {"--admin-token", token, "--purge-tag-header", "Surrogate-Key,Cache-Tag"});
    warm(cachet, "/api/a?cc=max-age=600");
    warm(cachet, "/api/b?cc=max-age=600");
    warm(cachet, "/apix?cc=max-age=600");
    Reply other_host = purge(cachet, R"({"prefix": "/api/", "host": "elsewhere.example"})");
    CHECK(other_host.body == R"({"purged":0})");
    Reply prefix = purge(cachet, R"({"prefix": "/api/", "host": "127.0.0.1"})");
    CHECK_MESSAGE(prefix.body == R"({"purged":2})", prefix.describe());
    CHECK(cache_status(get(cachet.port(), "/api/a?cc=max-age=600")).miss());
    CHECK(cache_status(get(cachet.port(), "/apix?cc=max-age=600")).hit);
    CHECK(purge(cachet, R"({"prefix": "/api"})").body == R"({"purged":2})");  // any host

    warm(cachet, "/t1?cc=max-age=600&header=Surrogate-Key:%20product-42%20list");
    warm(cachet, "/t2?cc=max-age=600&header=Cache-Tag:%20list,product-42");
    warm(cachet, "/t3?cc=max-age=600&header=Cache-Tag:%20product-7");
    Reply tag = purge(cachet, R"({"tag": "product-42"})");
    CHECK_MESSAGE(tag.body == R"({"purged":2})", tag.describe());
    CHECK(cache_status(
              get(cachet.port(), "/t1?cc=max-age=600&header=Surrogate-Key:%20product-42%20list"))
              .miss());
    CHECK(cache_status(get(cachet.port(), "/t3?cc=max-age=600&header=Cache-Tag:%20product-7")).hit);
    CHECK(origin.requests("/t1") == 2);
    CHECK(origin.requests("/t2") == 1);
}

TEST_CASE(
    "purge: soft keeps the entry, served stale under stale-while-revalidate while one "
    "request revalidates it, and a must-revalidate one is revalidated first") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    const std::string swr = "/soft?cc=max-age=600,stale-while-revalidate=60&etag=%22v1%22";
    const std::string must = "/must?cc=max-age=600,must-revalidate&etag=%22v1%22";
    warm(cachet, swr);
    warm(cachet, must);

    Reply soft = purge(cachet, R"({"prefix": "/", "soft": true})");
    CHECK_MESSAGE(soft.body == R"({"purged":2})", soft.describe());

    Reply stale = get(cachet.port(), swr);
    REQUIRE_MESSAGE(stale.ok(), stale.describe());
    CHECK_MESSAGE(cache_status(stale).hit, stale.describe());  // served at once, stale
    CHECK(wait_for_requests(origin, "/soft", 2));              // and revalidated behind it

    Reply revalidated = get(cachet.port(), must);
    REQUIRE_MESSAGE(revalidated.ok(), revalidated.describe());
    CacheStatus status = cache_status(revalidated);
    CHECK_MESSAGE(status.fwd == "stale", status.raw);
    CHECK_MESSAGE(status.raw.find("fwd-status=304") != std::string::npos, status.raw);
    CHECK(origin.requests("/must") == 2);
    CHECK(cache_status(get(cachet.port(), must)).hit);  // the 304 made it fresh again
    CHECK(origin.requests("/must") == 2);
}

TEST_CASE(
    "purge: refused without the token (401, 403 with none configured) or a bad body "
    "(400 naming the field), and nothing is purged") {
    TestOrigin origin;
    Cachet cachet(origin.url(), {"--admin-token", token});
    warm(cachet, "/keep?cc=max-age=600");
    CHECK(purge(cachet, R"({"prefix": "/"})", "").status == 401);
    CHECK(purge(cachet, R"({"prefix": "/"})", "wrong").status == 401);
    Reply bad = purge(cachet, R"({"prefix": "api/"})");
    CHECK(bad.status == 400);
    CHECK(bad.body.starts_with("prefix:"));
    CHECK(purge(cachet, R"({"url": "http://h/", "tag": "t"})").status == 400);
    CHECK(purge(cachet, "not json").status == 400);
    CHECK(cache_status(get(cachet.port(), "/keep?cc=max-age=600")).hit);
    CHECK(origin.requests("/keep") == 1);

    Cachet no_token(origin.url());
    CHECK(purge(no_token, R"({"prefix": "/"})").status == 403);
}

}  // namespace cachet::integration
