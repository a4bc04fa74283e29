#include "cache/route.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cachet;
using namespace cachet::cache;

namespace {

Route route(PathMatch kind, std::string path, std::string host = {}) {
    Route r;
    r.match.kind = kind;
    r.match.path = std::move(path);
    r.match.host = std::move(host);
    return r;
}

std::string normalised(std::string_view target, const KeyRules& rules) {
    RouteKeyScratch scratch;
    normalise_target(scratch, target, rules);
    return scratch.target;
}

KeyRules query(QueryRule rule, std::vector<std::string> patterns, bool sort = false) {
    KeyRules rules;
    rules.query = rule;
    rules.patterns = std::move(patterns);
    rules.sort_query = sort;
    return rules;
}

std::string key(std::string_view target, const KeyRules& rules,
                std::vector<http::HeaderView> headers = {}) {
    KeyBuffer out;
    RouteKeyScratch scratch;
    auto built =
        build_route_key(out, scratch, http::Method::get, "example.com", target, rules, headers);
    return built ? std::string(*built) : std::string("error");
}

}  // namespace

TEST_CASE("a route matches its path exactly, by prefix or by glob") {
    CHECK(route_matches(route(PathMatch::exact, "/v1/users").match, "h", "/v1/users"));
    CHECK(route_matches(route(PathMatch::exact, "/v1/users").match, "h", "/v1/users?x=1"));
    CHECK_FALSE(route_matches(route(PathMatch::exact, "/v1/users").match, "h", "/v1/users/1"));
    CHECK(route_matches(route(PathMatch::prefix, "/v1/").match, "h", "/v1/users/1"));
    CHECK_FALSE(route_matches(route(PathMatch::prefix, "/v1/").match, "h", "/v2/users"));
    CHECK(route_matches(route(PathMatch::prefix, "/").match, "h", "http://h"));
    CHECK(route_matches(route(PathMatch::exact, "/").match, "h", "http://h?q"));
    CHECK(route_matches(route(PathMatch::exact, "/a").match, "h", "http://h/a?q"));
    CHECK(route_matches(route(PathMatch::exact, "/a").match, "h", "/a#f"));
    CHECK_FALSE(route_matches(route(PathMatch::exact, "/a").match, "h", "/ab"));
    CHECK_FALSE(route_matches(route(PathMatch::prefix, "/a/").match, "h", "/a?/"));
    CHECK(route_matches(route(PathMatch::glob, "/*").match, "h", "/a?b/c"));
    CHECK_FALSE(route_matches(route(PathMatch::glob, "/*/c").match, "h", "/a?b/c"));
    CHECK(route_matches(route(PathMatch::exact, "/").match, "h", ""));
}

TEST_CASE("a glob's * stays within one segment, ** crosses segments") {
    CHECK(glob_matches("/v1/*/avatar", "/v1/42/avatar"));
    CHECK_FALSE(glob_matches("/v1/*/avatar", "/v1/42/x/avatar"));
    CHECK(glob_matches("/v1/**/avatar", "/v1/42/x/avatar"));
    CHECK(glob_matches("/static/**", "/static/a/b/c.css"));
    CHECK(glob_matches("/*.css", "/site.css"));
    CHECK_FALSE(glob_matches("/*.css", "/a/site.css"));
    CHECK(glob_matches("/v1/*", "/v1/"));
    CHECK_FALSE(glob_matches("/v1/*", "/v1"));
}

TEST_CASE("a route's host is compared without case, port or trailing dot; none matches any") {
    auto r = route(PathMatch::prefix, "/", "api.example.com");
    CHECK(route_matches(r.match, "API.Example.com", "/"));
    CHECK(route_matches(r.match, "api.example.com:8080", "/"));
    CHECK(route_matches(r.match, "api.example.com.", "/"));
    CHECK_FALSE(route_matches(r.match, "www.example.com", "/"));
    CHECK_FALSE(route_matches(r.match, "api.example.com.evil", "/"));
    // An absolute-form target names the host (RFC 9112 §3.2.2).
    CHECK(route_matches(r.match, "other", "http://api.example.com/x"));
    CHECK(route_matches(route(PathMatch::prefix, "/").match, "anything", "/"));
}

TEST_CASE("routes are matched in order: the first match wins, none means the default rules") {
    std::vector<Route> routes{route(PathMatch::exact, "/v1/special"),
                              route(PathMatch::prefix, "/v1/"),
                              route(PathMatch::prefix, "/", "api.example.com")};
    CHECK(match_route(routes, "h", "/v1/special") == &routes[0]);
    CHECK(match_route(routes, "h", "/v1/other") == &routes[1]);
    CHECK(match_route(routes, "api.example.com", "/x") == &routes[2]);
    CHECK(match_route(routes, "h", "/x") == nullptr);
    CHECK(match_route({}, "h", "/x") == nullptr);
}

TEST_CASE("query names match patterns with * anywhere") {
    CHECK(name_matches("utm_*", "utm_source"));
    CHECK(name_matches("utm_*", "utm_"));
    CHECK_FALSE(name_matches("utm_*", "xutm_source"));
    CHECK(name_matches("*id", "gclid"));
    CHECK(name_matches("gclid", "gclid"));
    CHECK_FALSE(name_matches("gclid", "GCLID"));
}

TEST_CASE("drop leaves out matching parameters; the rest stay as sent, in order") {
    auto rules = query(QueryRule::drop, {"utm_*", "gclid"});
    CHECK(normalised("/p?utm_source=x&id=1", rules) == "/p?id=1");
    CHECK(normalised("/p?id=1", rules) == "/p?id=1");
    CHECK(normalised("/p?utm_source=x&gclid=2", rules) == "/p");
    CHECK(normalised("/p?b=2&a=1&b=1&e=&f", rules) == "/p?b=2&a=1&b=1&e=&f");
    CHECK(normalised("/p?q=a%20b&utm_x=1", rules) == "/p?q=a%20b");  // encoding as sent
    CHECK(normalised("/p?utm%5Fsource=x", rules) == "/p?utm%5Fsource=x");
    CHECK(normalised("/p", rules) == "/p");
}

TEST_CASE("keep keeps only matching parameters; drop_all drops the query") {
    auto keep = query(QueryRule::keep, {"page", "q"});
    CHECK(normalised("/s?q=x&session=9&page=2", keep) == "/s?q=x&page=2");
    CHECK(normalised("/s?session=9", keep) == "/s");
    CHECK(normalised("/s?q=1&q=2", keep) == "/s?q=1&q=2");
    CHECK(normalised("/s?q=x&page=2", query(QueryRule::drop_all, {})) == "/s");
    CHECK(normalised("/s?", query(QueryRule::drop_all, {})) == "/s");
}

TEST_CASE("sort_query orders parameters by name, then value; without it the order is kept") {
    auto sorted = query(QueryRule::as_sent, {}, true);
    CHECK(normalised("/p?b=2&a=1", sorted) == "/p?a=1&b=2");
    CHECK(normalised("/p?a=2&a=1&a-b=0", sorted) == "/p?a=1&a=2&a-b=0");
    CHECK(normalised("/p?b=1&a=", sorted) == "/p?a=&b=1");
    CHECK(normalised("/p?b=2&a=1", query(QueryRule::as_sent, {})) == "/p?b=2&a=1");
    auto dropped_sorted = query(QueryRule::drop, {"utm_*"}, true);
    CHECK(normalised("/p?z=1&utm_a=1&y=2", dropped_sorted) == "/p?y=2&z=1");
}

TEST_CASE("without key rules, a route's key is build_key's") {
    KeyBuffer plain;
    auto expected = build_key(plain, http::Method::get, "example.com", "/p?b=1&a=2");
    REQUIRE(expected);
    CHECK(key("/p?b=1&a=2", KeyRules{}) == *expected);
    CHECK_FALSE(KeyRules{}.changes_key());
    CHECK(query(QueryRule::drop_all, {}).changes_key());
}

TEST_CASE("headers and cookies named in cache_key separate keys; absent differs from empty") {
    KeyRules rules;
    rules.headers = {"Accept-Language"};
    rules.cookies = {"region"};
    const auto en = key("/p", rules, {{"accept-language", "en"}});
    const auto fr = key("/p", rules, {{"Accept-Language", "fr"}});
    const auto none = key("/p", rules);
    const auto empty = key("/p", rules, {{"Accept-Language", ""}});
    CHECK(en != fr);
    CHECK(en != none);
    CHECK(none != empty);
    CHECK(en == key("/p", rules, {{"Accept-Language", "en"}, {"X-Other", "1"}}));
    const auto eu = key("/p", rules, {{"Accept-Language", "en"}, {"Cookie", "a=1; region=eu"}});
    const auto us = key("/p", rules, {{"Accept-Language", "en"}, {"Cookie", "region=us; b=2"}});
    CHECK(eu != us);
    CHECK(eu != en);
    CHECK(en == key("/p", rules, {{"Accept-Language", "en"}, {"Cookie", "regions=eu"}}));
    CHECK(key("/p", rules,
              {{"Accept-Language",
                "a\x1f"
                "b"}}) == "error");
}

TEST_CASE("the inline match and the full one agree") {
    const Route routes[] = {route(PathMatch::exact, "/a"), route(PathMatch::prefix, "/a/"),
                            route(PathMatch::prefix, "/"), route(PathMatch::exact, "/")};
    for (const auto& r : routes) {
        for (std::string_view target : {"/a", "/a?x", "/a#x", "/ab", "/a/b", "/", "/?q", "",
                                        "http://h/a?x", "http://h", "*"}) {
            CAPTURE(r.match.path);
            CAPTURE(target);
            CHECK(route_matches(r.match, "h", target) ==
                  route_matches_in_full(r.match, "h", target));
        }
    }
}

TEST_CASE("a route rules the request only with bypass, ignore_no_cache or a key rule") {
    RouteRules rules;
    CHECK_FALSE(rules.rule_the_request());
    rules.response.forced_ttl = 60;
    CHECK_FALSE(rules.rule_the_request());
    rules.key.headers = {"X"};
    CHECK(rules.rule_the_request());
}
