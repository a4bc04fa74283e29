#include "admin/routes.hpp"

#include <doctest/doctest.h>

#include <array>

using namespace cachet;
using namespace cachet::admin;
using http::Method;

namespace {

void a(AdminExchange&) {}
void b(AdminExchange&) {}

constexpr std::array kTable = {
    Route{Method::get, "/stats", false, a},
    Route{Method::post, "/purge", true, b},
    Route{Method::delete_, "/purge", true, a},
};

}  // namespace

TEST_CASE("a route matches its method and exact path; HEAD takes a GET route") {
    CHECK(match_route(kTable, Method::get, "/stats").route == &kTable[0]);
    CHECK(match_route(kTable, Method::head, "/stats").route == &kTable[0]);
    CHECK(match_route(kTable, Method::post, "/purge").route == &kTable[1]);
    CHECK(match_route(kTable, Method::delete_, "/purge").route == &kTable[2]);
    CHECK(match_route(kTable, Method::get, "/stats/").route == nullptr);
    CHECK(match_route(kTable, Method::get, "/STATS").route == nullptr);
}

TEST_CASE("a known path with another method says which methods it has (405)") {
    RouteMatch m = match_route(kTable, Method::get, "/purge");
    CHECK(m.route == nullptr);
    CHECK(m.path_known);
    CHECK(m.allow == "POST, DELETE");
    RouteMatch s = match_route(kTable, Method::post, "/stats");
    CHECK(s.path_known);
    CHECK(s.allow == "GET, HEAD");
    RouteMatch none = match_route(kTable, Method::get, "/nope");
    CHECK_FALSE(none.path_known);
}

TEST_CASE("the admin table has the read-only endpoints, none of them mutating") {
    for (const char* path : {"/healthz", "/readyz", "/metrics", "/stats"}) {
        RouteMatch m = match_route(admin_routes(), Method::get, path);
        REQUIRE_MESSAGE(m.route != nullptr, path);
        CHECK_FALSE(m.route->mutating);
    }
}

TEST_CASE("targets split into path and query; query parameters are found exactly") {
    CHECK(split_target("/readyz?origins=1").path == "/readyz");
    CHECK(split_target("/readyz?origins=1").query == "origins=1");
    CHECK(split_target("/readyz").query.empty());
    CHECK(has_query_param("origins=1", "origins", "1"));
    CHECK(has_query_param("a=2&origins=1", "origins", "1"));
    CHECK_FALSE(has_query_param("origins=10", "origins", "1"));
    CHECK_FALSE(has_query_param("xorigins=1", "origins", "1"));
    CHECK_FALSE(has_query_param("", "origins", "1"));
}
