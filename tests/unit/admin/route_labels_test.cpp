#include "admin/route_labels.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cache/route.hpp"

using namespace cachet;
using namespace cachet::admin;

namespace {

std::vector<cache::Route> routes_named(std::vector<std::string> names) {
    std::vector<cache::Route> routes;
    for (auto& name : names) {
        cache::Route route;
        route.match.path = "/" + name;
        route.name = std::move(name);
        routes.push_back(std::move(route));
    }
    return routes;
}

}  // namespace

TEST_CASE("route labels start with none and other, and give names slots in order") {
    RouteLabels labels;
    CHECK(labels.labels() == std::vector<std::string>{"none", "other"});
    auto routes = routes_named({"api", "img"});
    labels.assign(routes);
    CHECK(routes[0].counter_slot == 2);
    CHECK(routes[1].counter_slot == 3);
    CHECK(labels.labels() == std::vector<std::string>{"none", "other", "api", "img"});
}

TEST_CASE("a name keeps its slot when a reload reorders, removes and adds routes") {
    RouteLabels labels;
    auto first = routes_named({"api", "img", "search"});
    labels.assign(first);
    auto reloaded = routes_named({"search", "new", "api"});  // img gone, new added
    labels.assign(reloaded);
    CHECK(reloaded[0].counter_slot == first[2].counter_slot);
    CHECK(reloaded[2].counter_slot == first[0].counter_slot);
    CHECK(reloaded[1].counter_slot == 5);
    // img keeps its label (and, in the counters, its last value).
    CHECK(labels.labels() ==
          std::vector<std::string>{"none", "other", "api", "img", "search", "new"});
}

TEST_CASE("routes sharing a name share a slot; a route without one gets its match's") {
    RouteLabels labels;
    auto routes = routes_named({"static", "static"});
    routes.emplace_back();
    routes.back().match.host = "img.example";
    routes.back().match.path = "/**";
    labels.assign(routes);
    CHECK(routes[0].counter_slot == routes[1].counter_slot);
    CHECK(routes[2].name == "img.example/**");
    CHECK(routes[2].counter_slot == 3);
}

TEST_CASE("names past the table's capacity share other") {
    RouteLabels labels;
    for (std::size_t i = 2; i < kRouteSlots; ++i)
        CHECK(labels.slot_for("r" + std::to_string(i)) == i);
    CHECK(labels.slot_for("one too many") == kOtherRouteSlot);
    CHECK(labels.slot_for("another") == kOtherRouteSlot);
    CHECK(labels.slot_for("r2") == 2);  // a name already given keeps its slot
    CHECK(labels.labels().size() == kRouteSlots);
}
