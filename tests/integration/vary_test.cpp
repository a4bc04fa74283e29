// One URL, several stored responses (RFC 9111 §4.1): a response with Vary is stored as the
// variant for the request that fetched it, and served only to requests that select it.
// The test origin's echo=1 body lists the request fields it received, so a body shows which
// request a response was made for; X-Origin-Seq tells origin responses apart.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/concurrent.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

bool made_for(const Reply& reply, const std::string& field_line) {
    return reply.body.find(field_line + "\n") != std::string::npos;
}

Reply get_ok(int port, const std::string& target, const std::vector<std::string>& headers) {
    Reply reply = get(port, target, headers);
    REQUIRE_MESSAGE((reply.ok() && reply.status == 200), reply.describe());
    return reply;
}

TEST_CASE("two variants of one URL are stored and each is served to the request that selects it") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/v?cc=max-age=60&echo=1&header=Vary:Accept-Encoding";

    Reply gzip = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    CacheStatus first = cache_status(gzip);
    CHECK_MESSAGE((first.miss() && first.stored), first.raw);
    CHECK(gzip.header("Vary") == "Accept-Encoding");
    CHECK(made_for(gzip, "Accept-Encoding: gzip"));

    Reply br = get_ok(cachet.port(), target, {"Accept-Encoding: br"});
    CacheStatus second = cache_status(br);
    CHECK_MESSAGE(second.fwd == "vary-miss", second.raw);  // RFC 9211 §2.2
    CHECK_MESSAGE(second.stored, second.raw);
    CHECK(made_for(br, "Accept-Encoding: br"));

    Reply none = get_ok(cachet.port(), target, {});  // absent only matches absent
    CHECK_MESSAGE(cache_status(none).fwd == "vary-miss", cache_status(none).raw);
    CHECK(origin.requests("/v") == 3);

    for (int round = 0; round < 2; ++round) {
        Reply gzip_hit = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
        CHECK_MESSAGE(cache_status(gzip_hit).hit, cache_status(gzip_hit).raw);
        CHECK(gzip_hit.body == gzip.body);
        CHECK(gzip_hit.header("X-Origin-Seq") == gzip.header("X-Origin-Seq"));
        CHECK(gzip_hit.header("Vary") == "Accept-Encoding");

        Reply br_hit = get_ok(cachet.port(), target, {"Accept-Encoding: br"});
        CHECK_MESSAGE(cache_status(br_hit).hit, cache_status(br_hit).raw);
        CHECK(br_hit.body == br.body);

        Reply none_hit = get_ok(cachet.port(), target, {});
        CHECK_MESSAGE(cache_status(none_hit).hit, cache_status(none_hit).raw);
        CHECK(none_hit.body == none.body);
    }
    CHECK(origin.requests("/v") == 3);
}

TEST_CASE("a HEAD request is answered from the variant its fields select") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/h?cc=max-age=60&echo=1&header=Vary:Accept-Encoding";
    Reply gzip = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});

    Reply head = fetch(cachet.port(), http_request("HEAD", target, {"Accept-Encoding: gzip"}), 10s,
                       /*head_request=*/true);
    REQUIRE_MESSAGE(head.ok(), head.describe());
    CHECK_MESSAGE(cache_status(head).hit, cache_status(head).raw);
    CHECK(head.header("X-Origin-Seq") == gzip.header("X-Origin-Seq"));
    CHECK(origin.requests("/h") == 1);
}

TEST_CASE("re-ordered and re-cased Accept-Encoding and Accept-Language lists select one variant") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target =
        "/lang?cc=max-age=60&echo=1&header=Vary:Accept-Encoding,%20Accept-Language";

    Reply first = get_ok(cachet.port(), target,
                         {"Accept-Encoding: gzip, br", "Accept-Language: en-US, fr;q=0.5"});
    CHECK_MESSAGE(cache_status(first).stored, cache_status(first).raw);

    Reply same = get_ok(cachet.port(), target,
                        {"accept-encoding: BR,GZIP", "Accept-Language: fr; q=0.50 , EN-us"});
    CHECK_MESSAGE(cache_status(same).hit, cache_status(same).raw);
    CHECK(same.body == first.body);

    // Members on two lines are one list (RFC 9110 §5.3).
    Reply split = get_ok(
        cachet.port(), target,
        {"Accept-Encoding: br", "Accept-Encoding: gzip", "Accept-Language: en-us, FR;q=0.5"});
    CHECK_MESSAGE(cache_status(split).hit, cache_status(split).raw);
    CHECK(origin.requests("/lang") == 1);

    Reply other = get_ok(cachet.port(), target,
                         {"Accept-Encoding: gzip, br", "Accept-Language: fr, en-US;q=0.5"});
    CHECK_MESSAGE(cache_status(other).fwd == "vary-miss", cache_status(other).raw);
    CHECK(made_for(other, "Accept-Language: fr, en-US;q=0.5"));
    CHECK(origin.requests("/lang") == 2);
}

TEST_CASE("a response with Vary: * is never served from the cache") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/star?cc=max-age=60&header=Vary:*";
    for (int i = 1; i <= 3; ++i) {
        Reply reply = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
        CacheStatus status = cache_status(reply);
        CHECK_MESSAGE((status.miss() && !status.stored), status.raw);
        CHECK_MESSAGE(status.detail == "vary-star", status.raw);
        CHECK(reply.header("X-Origin-Seq") == std::to_string(i));
    }
    CHECK(origin.requests("/star") == 3);
}

TEST_CASE("a Vary naming something that is not a field name is not stored") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/bad?cc=max-age=60&header=Vary:Accept%20Encoding";
    for (int i = 0; i < 2; ++i) {
        Reply reply = get_ok(cachet.port(), target, {});
        CacheStatus status = cache_status(reply);
        CHECK_MESSAGE((!status.stored && status.detail == "vary-unusable"), status.raw);
    }
    CHECK(origin.requests("/bad") == 2);
}

TEST_CASE(
    "when the origin changes its Vary set, the new set selects and the old variants are gone") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // The origin answers this one URL with the Vary a request asks for in X-Test-Vary.
    const std::string target = "/change?cc=max-age=60&header_from=Vary:X-Test-Vary";

    Reply by_encoding =
        get_ok(cachet.port(), target, {"Accept-Encoding: gzip", "X-Test-Vary: Accept-Encoding"});
    CHECK(by_encoding.header("Vary") == "Accept-Encoding");
    Reply hit = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    CHECK_MESSAGE(cache_status(hit).hit, cache_status(hit).raw);
    CHECK(origin.requests("/change") == 1);

    // Another encoding misses; this time the origin varies on the language.
    Reply by_language =
        get_ok(cachet.port(), target,
               {"Accept-Encoding: br", "Accept-Language: fr", "X-Test-Vary: Accept-Language"});
    CHECK_MESSAGE(cache_status(by_language).fwd == "vary-miss", cache_status(by_language).raw);
    CHECK(by_language.header("Vary") == "Accept-Language");
    CHECK(origin.requests("/change") == 2);

    // The language alone selects now, whatever the encoding.
    Reply french = get_ok(cachet.port(), target, {"Accept-Encoding: gzip", "Accept-Language: fr"});
    CHECK_MESSAGE(cache_status(french).hit, cache_status(french).raw);
    CHECK(french.header("X-Origin-Seq") == by_language.header("X-Origin-Seq"));

    // The gzip variant stored under the old set is not reachable any more.
    Reply old = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    CHECK_MESSAGE(cache_status(old).fwd == "vary-miss", cache_status(old).raw);
    CHECK(old.header("X-Origin-Seq") != by_encoding.header("X-Origin-Seq"));
    CHECK(origin.requests("/change") == 3);
}

TEST_CASE("a response without Vary for a URL that had variants replaces them") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/drop?cc=max-age=60&header_from=Vary:X-Test-Vary";
    get_ok(cachet.port(), target, {"Accept-Encoding: gzip", "X-Test-Vary: Accept-Encoding"});
    Reply plain = get_ok(cachet.port(), target, {"Accept-Encoding: br"});  // no Vary this time
    CHECK_FALSE(plain.header("Vary").has_value());
    CHECK_MESSAGE(cache_status(plain).stored, cache_status(plain).raw);

    Reply gzip = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    CHECK_MESSAGE(cache_status(gzip).hit, cache_status(gzip).raw);
    CHECK(gzip.header("X-Origin-Seq") == plain.header("X-Origin-Seq"));
    CHECK(origin.requests("/drop") == 2);
}

TEST_CASE("an unsafe method on the URL makes its variants unreachable (RFC 9111 §4.4)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/inv?cc=max-age=60&header=Vary:Accept-Encoding";
    Reply before = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    Reply post = fetch(cachet.port(), http_request("POST", target, {}, "x"));
    REQUIRE_MESSAGE((post.ok() && post.status == 200), post.describe());

    Reply after = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    CacheStatus status = cache_status(after);
    CHECK_MESSAGE(status.miss(), status.raw);  // no marker left: a plain miss
    CHECK(after.header("X-Origin-Seq") != before.header("X-Origin-Seq"));
}

TEST_CASE("a stale variant is revalidated and refreshed under its own key") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // max-age=2: after the refresh, the checks below have at least a whole second of freshness.
    const std::string target = "/rv?cc=max-age=2&etag=%22v1%22&echo=1&header=Vary:Accept-Encoding";
    Reply gzip = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    Reply br = get_ok(cachet.port(), target, {"Accept-Encoding: br"});
    CHECK(origin.requests("/rv") == 2);

    std::this_thread::sleep_for(3200ms);  // whole-second ages: past max-age=2 on any rounding
    Reply gzip_again = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    CacheStatus status = cache_status(gzip_again);
    CHECK_MESSAGE(status.fwd == "stale", status.raw);
    CHECK_MESSAGE(status.raw.find("fwd-status=304") != std::string::npos, status.raw);
    CHECK(gzip_again.body == gzip.body);

    // The refresh replaced the gzip variant only: br is still its own (stale) variant.
    Reply br_again = get_ok(cachet.port(), target, {"Accept-Encoding: br"});
    CHECK_MESSAGE(cache_status(br_again).fwd == "stale", cache_status(br_again).raw);
    CHECK(br_again.body == br.body);
    CHECK(origin.requests("/rv") == 4);

    Reply gzip_hit = get_ok(cachet.port(), target, {"Accept-Encoding: gzip"});
    CHECK_MESSAGE(cache_status(gzip_hit).hit, cache_status(gzip_hit).raw);
    CHECK(gzip_hit.body == gzip.body);
    Reply br_hit = get_ok(cachet.port(), target, {"Accept-Encoding: br"});
    CHECK_MESSAGE(cache_status(br_hit).hit, cache_status(br_hit).raw);
    CHECK(br_hit.body == br.body);
    CHECK(origin.requests("/rv") == 4);
}

TEST_CASE("concurrent misses with different Accept-Encoding values get their own variants") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target = "/co?cc=max-age=60&echo=1&delay_ms=300&header=Vary:Accept-Encoding";
    const std::vector<std::string> encodings = {"gzip", "br", "zstd", "identity"};
    std::vector<std::string> requests;
    for (int i = 0; i < 40; ++i) {
        requests.push_back(http_request(
            "GET", target, {"Accept-Encoding: " + encodings[static_cast<std::size_t>(i) % 4]}));
    }

    auto replies = fetch_concurrently(cachet.port(), requests, Deadline::after(30s));

    std::size_t collapsed = 0;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        const Reply& r = replies[i];
        if (!r.ok() || r.status != 200) {
            FAIL_CHECK(r.describe());
            continue;
        }
        const std::string own = "Accept-Encoding: " + encodings[i % 4];
        CHECK_MESSAGE(made_for(r, own), "request " << i << " wanted " << own << ", got\n"
                                                   << r.body);
        if (cache_status(r).collapsed) ++collapsed;
    }
    // Misses join by URL; only those with the leader's encoding may share its response. The
    // others, seeing its Vary, regroup per encoding: each encoding reaches the origin once.
    const std::uint64_t fetched = origin.requests("/co");
    CHECK(fetched == encodings.size());
    CHECK(collapsed == 40 - encodings.size());

    for (const std::string& encoding : encodings) {
        Reply hit = get_ok(cachet.port(), target, {"Accept-Encoding: " + encoding});
        CHECK_MESSAGE(cache_status(hit).hit, cache_status(hit).raw);
        CHECK(made_for(hit, "Accept-Encoding: " + encoding));
    }
    CHECK(origin.requests("/co") == fetched);
}

TEST_CASE("once a URL's Vary names are known, concurrent misses coalesce per variant") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string target =
        "/known?cc=max-age=60&echo=1&delay_ms=300&header=Vary:Accept-Encoding";
    get_ok(cachet.port(), target, {"Accept-Encoding: identity"});  // stores the URL's marker
    const std::vector<std::string> encodings = {"gzip", "br", "zstd"};
    std::vector<std::string> requests;
    for (int i = 0; i < 30; ++i) {
        requests.push_back(http_request(
            "GET", target, {"Accept-Encoding: " + encodings[static_cast<std::size_t>(i) % 3]}));
    }

    auto replies = fetch_concurrently(cachet.port(), requests, Deadline::after(30s));

    for (std::size_t i = 0; i < replies.size(); ++i) {
        const Reply& r = replies[i];
        if (!r.ok() || r.status != 200) {
            FAIL_CHECK(r.describe());
            continue;
        }
        CHECK(made_for(r, "Accept-Encoding: " + encodings[i % 3]));
        CHECK_MESSAGE(cache_status(r).fwd == "vary-miss", cache_status(r).raw);
    }
    CHECK(origin.requests("/known") == 1 + encodings.size());
}

}  // namespace
}  // namespace cachet::integration
