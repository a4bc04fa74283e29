#include "cache/update_headers.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "http/head_fields.hpp"

using namespace cachet::cache;
using cachet::Seconds;
using cachet::http::HeaderView;

namespace {

constexpr Seconds nov_6_1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
constexpr Seconds now = 1700000000;        // Tue, 14 Nov 2023 22:13:20 GMT

// As build_fill_head writes it: no Content-Length, no Age, Date, and cachet's Via last.
constexpr std::string_view stored_head =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html\r\n"
    "Content-Encoding: gzip\r\n"
    "ETag: \"v1\"\r\n"
    "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
    "Cache-Control: max-age=60\r\n"
    "X-Multi: one\r\n"
    "X-Multi: two\r\n"
    "Date: Sun, 06 Nov 1994 09:49:37 GMT\r\n"
    "Via: 1.1 cachet\r\n";

std::string update(std::initializer_list<HeaderView> response, const UpdateOptions& options = {},
                   std::string_view head = stored_head) {
    const std::vector<HeaderView> fields(response);
    return updated_head(head, fields, now, options);
}

std::vector<std::string> values(std::string_view head, std::string_view name) {
    std::vector<std::string> out;
    for (const HeaderView& f : cachet::http::HeadFields(head)) {
        if (cachet::http::iequals(f.name, name)) out.emplace_back(f.value);
    }
    return out;
}

using Values = std::vector<std::string>;

StoredValidators validators(std::string_view head = stored_head) {
    return stored_validators(head, nov_6_1994 + 3600);
}

UpdateSelection select(std::initializer_list<HeaderView> response,
                       const StoredValidators& stored = validators()) {
    const std::vector<HeaderView> fields(response);
    return select_for_update(stored, fields, now);
}

bool head_matches(std::initializer_list<HeaderView> response, std::uint64_t body_size = 1234) {
    const std::vector<HeaderView> fields(response);
    return head_response_matches(validators(), body_size, fields, now);
}

}  // namespace

TEST_CASE("every update selection has a name for logs") {
    CHECK(name(UpdateSelection::strong_match) == "strong-match");
    CHECK(name(UpdateSelection::weak_match) == "weak-match");
    CHECK(name(UpdateSelection::no_validators) == "no-validators");
    CHECK(name(UpdateSelection::mismatch) == "mismatch");
}

// --- which stored response a 304 updates -------------------------------------------------

TEST_CASE("a 304 with the stored strong ETag selects the stored response (RFC 9111 §4.3.4)") {
    CHECK(select({{"ETag", "\"v1\""}}) == UpdateSelection::strong_match);
    CHECK(select({{"etag", " \"v1\" "}, {"Date", "Tue, 14 Nov 2023 22:13:20 GMT"}}) ==
          UpdateSelection::strong_match);
}

TEST_CASE("a 304 with a different strong ETag must not update (RFC 9111 §4.3.4)") {
    CHECK(select({{"ETag", "\"v2\""}}) == UpdateSelection::mismatch);
    CHECK(select({{"ETag", "\"v2\""}, {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}}) ==
          UpdateSelection::mismatch);
}

TEST_CASE("a strong ETag is compared with the strong comparison (RFC 9110 §8.8.3.2)") {
    StoredValidators weak = validators();
    weak.etag->weak = true;
    CHECK(select({{"ETag", "\"v1\""}}, weak) == UpdateSelection::mismatch);
}

TEST_CASE("a strong Last-Modified selects an equal strong one (RFC 9111 §4.3.4)") {
    // The 304's Date is a day after its Last-Modified; the stored Date an hour after.
    CHECK(select({{"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"},
                  {"Date", "Mon, 07 Nov 1994 08:49:37 GMT"}}) == UpdateSelection::strong_match);
    CHECK(select({{"Last-Modified", "Sun, 06 Nov 1994 08:49:38 GMT"},
                  {"Date", "Mon, 07 Nov 1994 08:49:37 GMT"}}) == UpdateSelection::mismatch);
    StoredValidators weak_stored = validators();
    weak_stored.date = weak_stored.last_modified;
    CHECK(select({{"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"},
                  {"Date", "Mon, 07 Nov 1994 08:49:37 GMT"}},
                 weak_stored) == UpdateSelection::mismatch);
}

TEST_CASE("any one matching strong validator selects the stored response (RFC 9111 §4.3.4)") {
    CHECK(select({{"ETag", "\"v1\""},
                  {"Last-Modified", "Sun, 06 Nov 1994 08:49:38 GMT"},
                  {"Date", "Mon, 07 Nov 1994 08:49:37 GMT"}}) == UpdateSelection::strong_match);
}

TEST_CASE("a 304 with only weak validators selects by correspondence (RFC 9111 §4.3.4)") {
    CHECK(select({{"ETag", "W/\"v1\""}}) == UpdateSelection::weak_match);
    CHECK(select({{"ETag", "W/\"v2\""}}) == UpdateSelection::mismatch);
    // Last-Modified without a Date a second later is weak.
    CHECK(select({{"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}}) ==
          UpdateSelection::weak_match);
    CHECK(select({{"Last-Modified", "Sun, 06 Nov 1994 08:49:36 GMT"}}) ==
          UpdateSelection::mismatch);
    CHECK(select({{"ETag", "W/\"v2\""}, {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}}) ==
          UpdateSelection::weak_match);
}

TEST_CASE("without validators on either side the only stored one is chosen (RFC 9111 §4.3.4)") {
    const StoredValidators none =
        validators("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 09:49:37 GMT\r\n");
    CHECK(select({{"Date", "Mon, 07 Nov 1994 08:49:37 GMT"}}, none) ==
          UpdateSelection::no_validators);
    CHECK(select({}) == UpdateSelection::mismatch);
    CHECK(select({{"ETag", "\"v1\""}}, none) == UpdateSelection::mismatch);
}

TEST_CASE("a 304 validator that does not parse selects nothing") {
    const StoredValidators none = validators("HTTP/1.1 200 OK\r\n");
    CHECK(select({{"ETag", "v1"}}) == UpdateSelection::mismatch);
    CHECK(select({{"ETag", "v1"}}, none) == UpdateSelection::mismatch);
    CHECK(select({{"Last-Modified", "yesterday"}}, none) == UpdateSelection::mismatch);
}

// --- whether a HEAD response updates a stored GET response --------------------------------

TEST_CASE("a HEAD response with the stored validators and length may update (RFC 9111 §4.3.5)") {
    CHECK(head_matches({}));
    CHECK(head_matches({{"ETag", "\"v1\""}}));
    CHECK(head_matches({{"ETag", "\"v1\""},
                        {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"},
                        {"Content-Length", "1234"}}));
}

TEST_CASE("a HEAD response with another validator or length does not update (RFC 9111 §4.3.5)") {
    CHECK_FALSE(head_matches({{"ETag", "\"v2\""}}));
    CHECK_FALSE(head_matches({{"ETag", "W/\"v1\""}}));
    CHECK_FALSE(head_matches({{"ETag", "v1"}}));
    CHECK_FALSE(head_matches({{"Last-Modified", "Sun, 06 Nov 1994 08:49:38 GMT"}}));
    CHECK_FALSE(head_matches({{"Last-Modified", "garbage"}}));
    CHECK_FALSE(head_matches({{"Content-Length", "1235"}}));
    CHECK_FALSE(head_matches({{"Content-Length", "12a"}}));
    CHECK_FALSE(head_matches({{"Content-Length", "99999999999999999999999"}}));
    CHECK(head_matches({{"Content-Length", "0"}}, 0));
}

// --- the updated head --------------------------------------------------------------------

TEST_CASE("each field of the 304 replaces every stored line of that name (RFC 9111 §3.2)") {
    const std::string head = update({{"Cache-Control", "max-age=300"},
                                     {"x-multi", "three"},
                                     {"X-New", "fresh"},
                                     {"Date", "Tue, 14 Nov 2023 22:13:20 GMT"}});
    CHECK(values(head, "Cache-Control") == Values{"max-age=300"});
    CHECK(values(head, "X-Multi") == Values{"three"});
    CHECK(values(head, "X-New") == Values{"fresh"});
    CHECK(values(head, "Date") == Values{"Tue, 14 Nov 2023 22:13:20 GMT"});
    CHECK(values(head, "ETag") == Values{"\"v1\""});
    CHECK(values(head, "Content-Type") == Values{"text/html"});
}

TEST_CASE("the updated head keeps the stored status line and the stored head's format") {
    const std::string head = update({{"X-New", "1"}});
    CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(head.ends_with("\r\n"));
    CHECK_FALSE(head.ends_with("\r\n\r\n"));
    CHECK(cachet::http::status_of(head) == 200);
}

TEST_CASE("repeated lines of one name in the 304 are all kept, in order (RFC 9110 §5.3)") {
    const std::string head = update({{"X-Multi", "a"}, {"X-Multi", "b"}});
    CHECK(values(head, "X-Multi") == Values{"a", "b"});
}

TEST_CASE("Content-Length is never taken from a 304 (RFC 9111 §3.2)") {
    const std::string head = update({{"Content-Length", "0"}});
    CHECK(values(head, "Content-Length").empty());
}

TEST_CASE("Age is not stored: cachet writes it on every hit (RFC 9111 §4.2.3)") {
    CHECK(values(update({{"Age", "30"}}), "Age").empty());
}

TEST_CASE("hop-by-hop fields and the fields Connection names are never taken (RFC 9111 §3.1)") {
    const std::string head = update({{"Connection", "close, X-Hop"},
                                     {"X-Hop", "secret"},
                                     {"Keep-Alive", "timeout=5"},
                                     {"Transfer-Encoding", "chunked"},
                                     {"Upgrade", "h2c"},
                                     {"Trailer", "X"},
                                     {"Proxy-Connection", "keep-alive"},
                                     {"X-End", "ok"}});
    for (const std::string_view n : {"Connection", "X-Hop", "Keep-Alive", "Transfer-Encoding",
                                     "Upgrade", "Trailer", "Proxy-Connection"}) {
        CHECK_MESSAGE(values(head, n).empty(), n);
    }
    CHECK(values(head, "X-End") == Values{"ok"});
}

TEST_CASE("proxy authentication fields are never stored (RFC 9111 §3.1)") {
    const std::string head = update({{"Proxy-Authenticate", "Basic"},
                                     {"Proxy-Authentication-Info", "x"},
                                     {"Proxy-Authorization", "y"}});
    CHECK(values(head, "Proxy-Authenticate").empty());
    CHECK(values(head, "Proxy-Authentication-Info").empty());
    CHECK(values(head, "Proxy-Authorization").empty());
}

TEST_CASE("Content-Encoding and Content-Range keep describing the stored bytes (RFC 9111 §3.2)") {
    const std::string head = update({{"Content-Encoding", "br"}, {"Content-Range", "bytes 0-1/2"}});
    CHECK(values(head, "Content-Encoding") == Values{"gzip"});
    CHECK(values(head, "Content-Range").empty());
}

TEST_CASE("Content-Type is updated like any other field (RFC 9111 §3.2)") {
    const std::string head = update({{"Content-Type", "text/html; charset=utf-8"}});
    CHECK(values(head, "Content-Type") == Values{"text/html; charset=utf-8"});
}

TEST_CASE("Set-Cookie from a 304 is not stored unless the policy stores cookies") {
    CHECK(values(update({{"Set-Cookie", "id=1"}}), "Set-Cookie").empty());
    UpdateOptions options;
    options.store_set_cookie = true;
    CHECK(values(update({{"Set-Cookie", "id=1"}}, options), "Set-Cookie") == Values{"id=1"});
}

TEST_CASE("fields named by private=\"...\" are not stored by a shared cache (RFC 9111 §5.2.2.7)") {
    const std::string head = update({{"Cache-Control", "max-age=60, private=\"X-User, x-multi\""},
                                     {"X-User", "alice"},
                                     {"X-Other", "ok"}});
    CHECK(values(head, "X-User").empty());
    CHECK(values(head, "X-Multi").empty());  // dropped from the stored lines too
    CHECK(values(head, "X-Other") == Values{"ok"});
    CHECK(values(head, "Cache-Control") == Values{"max-age=60, private=\"X-User, x-multi\""});
}

TEST_CASE("the token form private=Name is honoured too (RFC 9111 §5.2.2.7)") {
    const std::string head =
        update({{"Cache-Control", "private=X-User, max-age=5"}, {"X-User", "alice"}});
    CHECK(values(head, "X-User").empty());
}

TEST_CASE("without Cache-Control in the 304, the stored one's private names still apply") {
    constexpr std::string_view head_with_private =
        "HTTP/1.1 200 OK\r\nCache-Control: max-age=5, private=\"X-User\"\r\nDate: x\r\n";
    const std::string head = update({{"X-User", "alice"}, {"X-Ok", "1"}}, {}, head_with_private);
    CHECK(values(head, "X-User").empty());
    CHECK(values(head, "X-Ok") == Values{"1"});
}

TEST_CASE("an unqualified private or other directives name no fields") {
    const std::string head =
        update({{"Cache-Control", "private, max-age=\"X-User\""}, {"X-User", "alice"}});
    CHECK(values(head, "X-User") == Values{"alice"});
}

TEST_CASE("a 304 does not store the fields a qualified no-cache names (RFC 9111 §5.2.2.4)") {
    const std::string head = update(
        {{"Cache-Control", "max-age=5, no-cache=\"X-User\""}, {"X-User", "alice"}, {"X-Ok", "1"}});
    CHECK(values(head, "X-User").empty());
    CHECK(values(head, "X-Ok") == Values{"1"});
}

TEST_CASE("a 304 without Date gets the response time as its Date (RFC 9110 §6.6.1)") {
    const std::string head = update({{"X-New", "1"}});
    CHECK(values(head, "Date") == Values{"Tue, 14 Nov 2023 22:13:20 GMT"});
}

TEST_CASE("the response's Via replaces the stored one, then cachet's own (RFC 9110 §7.6.3)") {
    CHECK(values(update({{"X", "1"}}), "Via") == Values{"1.1 cachet"});
    CHECK(values(update({{"Via", "1.1 upstream"}}), "Via") == Values{"1.1 upstream", "1.1 cachet"});
    UpdateOptions options;
    options.own_via = "";
    CHECK(values(update({{"Via", "1.1 upstream"}}, options), "Via") == Values{"1.1 upstream"});
}

TEST_CASE("fields that would break the head's framing are not written") {
    const std::string head = update({{"X-Bad", "a\r\nInjected: yes"},
                                     {"X Bad", "b"},
                                     {"", "c"},
                                     {"X-Nul", std::string_view("a\0b", 3)},
                                     {"X-Good", "d"}});
    CHECK(values(head, "Injected").empty());
    CHECK(values(head, "X-Bad").empty());
    CHECK(values(head, "X-Nul").empty());
    CHECK(values(head, "X-Good") == Values{"d"});
    CHECK(head.find("a\r\nInjected") == std::string::npos);
}

TEST_CASE("a 304 with nothing to take leaves the stored fields, with a new Date") {
    const std::string head = update({});
    CHECK(values(head, "ETag") == Values{"\"v1\""});
    CHECK(values(head, "X-Multi") == Values{"one", "two"});
    CHECK(values(head, "Date") == Values{"Tue, 14 Nov 2023 22:13:20 GMT"});
    CHECK(values(head, "Via") == Values{"1.1 cachet"});
}

TEST_CASE("random 304 fields never crash and always give a well-framed head") {
    std::mt19937 rng(304);
    const std::vector<std::string_view> names = {
        "ETag",       "Cache-Control",  "X-A",          "Via", "Date",
        "Connection", "Content-Length", "Last-Modified"};
    const std::string alphabet = "\"W/,=private ;:\r\nx";
    for (int round = 0; round < 3000; ++round) {
        std::vector<std::string> storage(4);
        std::vector<HeaderView> fields;
        for (auto& value : storage) {
            const int size = static_cast<int>(rng() % 30);
            for (int j = 0; j < size; ++j) {
                value += (rng() % 6 == 0) ? static_cast<char>(rng() % 256)
                                          : alphabet[rng() % alphabet.size()];
            }
            fields.push_back({names[rng() % names.size()], value});
        }
        const std::string head = updated_head(stored_head, fields, now, {});
        REQUIRE(head.starts_with("HTTP/1.1 200 OK\r\n"));
        REQUIRE(head.ends_with("\r\n"));
        // Every line after the status line is a field line.
        std::size_t lines = 0;
        for (std::size_t at = 0; (at = head.find("\r\n", at)) != std::string::npos; at += 2) {
            ++lines;
        }
        const cachet::http::HeadFields read(head);
        const auto fields_read = static_cast<std::size_t>(std::distance(read.begin(), read.end()));
        REQUIRE(fields_read + 1 == lines);
        (void)select_for_update(validators(), fields, now);
        (void)head_response_matches(validators(), 10, fields, now);
    }
}
