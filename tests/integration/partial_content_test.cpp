// A 206 from the origin is stored as a partial entry (RFC 9111 §3.3) and answers later
// ranges inside its bytes from memory (RFC 9110 §14.2, §15.3.7); everything else about the
// URL still goes to the origin, and a partial entry is never served as a complete one.
// Only a 206 is partial content: a 200 with a Content-Range is complete (RFC 9110 §14.4).
#include <doctest/doctest.h>

#include "harness/cache_status.hpp"
#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"
#include "test_origin/body_pattern.hpp"

namespace cachet::integration {
namespace {

// 1000 pattern bytes; the origin answers a single Range with a 206.
const std::string kTarget = "/part?cc=max-age=60&size=1000&ranges=1";

Reply store_range(const Cachet& cachet, std::string_view range) {
    Reply r = get(cachet.port(), kTarget, {"Range: bytes=" + std::string(range)});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    REQUIRE(r.status == 206);
    return r;
}

}  // namespace

TEST_CASE("a 206 is stored and the same range is then a hit (RFC 9111 §3.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply first = store_range(cachet, "100-499");
    CHECK(first.header("Content-Range") == "bytes 100-499/1000");
    CHECK(first.body == tools::pattern_bytes(100, 400));
    const CacheStatus miss = cache_status(first);
    CHECK_MESSAGE(miss.miss(), miss.raw);
    CHECK_MESSAGE(miss.stored, miss.raw);
    CHECK_MESSAGE(miss.raw.find("fwd-status=206") != std::string::npos, miss.raw);

    Reply again = get(cachet.port(), kTarget, {"Range: bytes=100-499"});
    REQUIRE_MESSAGE(again.ok(), again.describe());
    CHECK(again.status == 206);
    CHECK(again.header("Content-Range") == "bytes 100-499/1000");
    CHECK(again.header("Content-Length") == "400");
    CHECK(again.body == first.body);
    CHECK_MESSAGE(cache_status(again).hit, again.describe());
    CHECK(origin.requests("/part") == 1);
}

TEST_CASE(
    "a sub-range and a suffix range inside a stored 206 are hits with their bytes "
    "(RFC 9110 §14.1.2, §15.3.7)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    store_range(cachet, "500-");  // bytes 500-999/1000

    Reply inner = get(cachet.port(), kTarget, {"Range: bytes=600-649"});
    REQUIRE_MESSAGE(inner.ok(), inner.describe());
    CHECK(inner.status == 206);
    CHECK(inner.header("Content-Range") == "bytes 600-649/1000");
    CHECK(inner.body == tools::pattern_bytes(600, 50));
    CHECK_MESSAGE(cache_status(inner).hit, inner.describe());

    Reply suffix = get(cachet.port(), kTarget, {"Range: bytes=-100"});
    REQUIRE_MESSAGE(suffix.ok(), suffix.describe());
    CHECK(suffix.status == 206);
    CHECK(suffix.header("Content-Range") == "bytes 900-999/1000");
    CHECK(suffix.body == tools::pattern_bytes(900, 100));
    CHECK_MESSAGE(cache_status(suffix).hit, suffix.describe());

    Reply open = get(cachet.port(), kTarget, {"Range: bytes=990-"});
    REQUIRE_MESSAGE(open.ok(), open.describe());
    CHECK(open.header("Content-Range") == "bytes 990-999/1000");
    CHECK(open.body == tools::pattern_bytes(990, 10));
    CHECK(origin.requests("/part") == 1);
}

TEST_CASE("a range outside a stored 206 goes to the origin (RFC 9111 §3.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    store_range(cachet, "100-499");
    Reply outside = get(cachet.port(), kTarget, {"Range: bytes=400-599"});
    REQUIRE_MESSAGE(outside.ok(), outside.describe());
    CHECK(outside.status == 206);
    CHECK(outside.header("Content-Range") == "bytes 400-599/1000");
    CHECK(outside.body == tools::pattern_bytes(400, 200));
    CHECK_FALSE(cache_status(outside).hit);
    CHECK(origin.requests("/part") == 2);

    // The newer 206 replaced the partial entry: its range is now the hit.
    Reply replaced = get(cachet.port(), kTarget, {"Range: bytes=450-550"});
    REQUIRE_MESSAGE(replaced.ok(), replaced.describe());
    CHECK(replaced.body == tools::pattern_bytes(450, 101));
    CHECK_MESSAGE(cache_status(replaced).hit, replaced.describe());
    CHECK(origin.requests("/part") == 2);
}

TEST_CASE(
    "a plain GET after a stored 206 gets the whole 200 from the origin, never the "
    "partial bytes (RFC 9111 §3.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    store_range(cachet, "0-99");
    Reply whole = get(cachet.port(), kTarget);
    REQUIRE_MESSAGE(whole.ok(), whole.describe());
    CHECK(whole.status == 200);
    CHECK_FALSE(whole.header("Content-Range").has_value());
    CHECK(whole.body == tools::pattern_bytes(0, 1000));
    CHECK_FALSE(cache_status(whole).hit);
    CHECK(origin.requests("/part") == 2);

    // The 200 replaced the partial entry: a plain GET and any range are now hits.
    Reply hit = get(cachet.port(), kTarget);
    REQUIRE_MESSAGE(hit.ok(), hit.describe());
    CHECK(hit.status == 200);
    CHECK(hit.body == tools::pattern_bytes(0, 1000));
    Reply range = get(cachet.port(), kTarget, {"Range: bytes=700-799"});
    REQUIRE_MESSAGE(range.ok(), range.describe());
    CHECK(range.status == 206);
    CHECK(range.body == tools::pattern_bytes(700, 100));
    CHECK(origin.requests("/part") == 2);
}

TEST_CASE("a HEAD after a stored 206 goes to the origin (RFC 9111 §3.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    store_range(cachet, "0-99");
    Reply head =
        fetch(cachet.port(), "HEAD " + kTarget + " HTTP/1.1\r\nHost: t\r\n\r\n", 10s, true);
    REQUIRE_MESSAGE(head.ok(), head.describe());
    CHECK(head.status == 200);
    CHECK(head.header("Content-Length") == "1000");
    CHECK(origin.requests("/part") == 2);
}

TEST_CASE("a complete entry is not replaced by a later 206 (RFC 9111 §3.3)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply whole = get(cachet.port(), kTarget);
    REQUIRE_MESSAGE(whole.ok(), whole.describe());
    REQUIRE(whole.status == 200);
    // A range the client wants validated reaches the origin, and its 206 must not take
    // the complete entry's place.
    Reply ranged = get(cachet.port(), kTarget, {"Range: bytes=0-9", "Cache-Control: no-cache"});
    REQUIRE_MESSAGE(ranged.ok(), ranged.describe());
    CHECK(ranged.status == 206);
    CHECK(origin.requests("/part") == 2);

    Reply after = get(cachet.port(), kTarget);
    REQUIRE_MESSAGE(after.ok(), after.describe());
    CHECK(after.status == 200);
    CHECK(after.body == tools::pattern_bytes(0, 1000));
    CHECK_MESSAGE(cache_status(after).hit, after.describe());
    CHECK(origin.requests("/part") == 2);
}

TEST_CASE(
    "a 206 whose body is not its Content-Range, or a multipart one, is not stored "
    "(RFC 9110 §15.3.7)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string mismatched =
        "/bad?cc=max-age=60&status=206&size=5&header=Content-Range:bytes%200-9/100";
    const std::string multipart =
        "/multi?cc=max-age=60&status=206&size=50&content_type=multipart/byteranges;%20boundary=B";
    for (const std::string& target : {mismatched, multipart}) {
        CAPTURE(target);
        for (int i = 0; i < 2; ++i) {
            Reply r = get(cachet.port(), target, {"Range: bytes=0-9"});
            REQUIRE_MESSAGE(r.ok(), r.describe());
            CHECK(r.status == 206);
            CHECK_FALSE(cache_status(r).hit);
            CHECK_FALSE(cache_status(r).stored);
        }
    }
    CHECK(origin.requests("/bad") == 2);
    CHECK(origin.requests("/multi") == 2);
}

TEST_CASE(
    "a 200 with a Content-Range is stored as a complete response and is then a hit "
    "(RFC 9110 §14.4)") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    // Content-Range means nothing in a 200, whether it names the whole body or other bytes.
    const std::string whole =
        "/whole?cc=max-age=60&size=1000&header=Content-Range:bytes%200-999/1000";
    const std::string other = "/other?cc=max-age=60&size=1000&header=Content-Range:bytes%200-9/100";
    for (const std::string& target : {whole, other}) {
        CAPTURE(target);
        const std::string received = target == whole ? "bytes 0-999/1000" : "bytes 0-9/100";
        Reply first = get(cachet.port(), target);
        REQUIRE_MESSAGE(first.ok(), first.describe());
        CHECK(first.status == 200);
        const CacheStatus miss = cache_status(first);
        CHECK_MESSAGE(miss.miss(), miss.raw);
        CHECK_MESSAGE(miss.stored, miss.raw);

        // Served whole from the store, with its fields as received.
        Reply again = get(cachet.port(), target);
        REQUIRE_MESSAGE(again.ok(), again.describe());
        CHECK(again.status == 200);
        CHECK(again.header("Content-Range") == received);
        CHECK(again.header("Content-Length") == "1000");
        CHECK(again.body == tools::pattern_bytes(0, 1000));
        CHECK_MESSAGE(cache_status(again).hit, again.describe());

        // A range is answered from it as from any complete entry, under its own Content-Range.
        Reply range = get(cachet.port(), target, {"Range: bytes=700-799"});
        REQUIRE_MESSAGE(range.ok(), range.describe());
        CHECK(range.status == 206);
        CHECK(range.header("Content-Range") == "bytes 700-799/1000");
        CHECK(range.body == tools::pattern_bytes(700, 100));
        CHECK_MESSAGE(cache_status(range).hit, range.describe());
    }
    CHECK(origin.requests("/whole") == 1);
    CHECK(origin.requests("/other") == 1);
}

}  // namespace cachet::integration
