#include "admin/route_labels.hpp"

#include "cache/route.hpp"

namespace cachet::admin {

RouteLabels::RouteLabels() : names_{"none", "other"} {}

std::uint8_t RouteLabels::slot_for(std::string_view name) {
    std::lock_guard lock(mutex_);
    // Past the two of cachet's own: a route's name is never "none" or "other"
    // (config/routes.cpp refuses them), so only routes' names are compared.
    for (std::size_t slot = 2; slot < names_.size(); ++slot) {
        if (names_[slot] == name) return static_cast<std::uint8_t>(slot);
    }
    if (names_.size() == kRouteSlots) return kOtherRouteSlot;
    names_.emplace_back(name);
    return static_cast<std::uint8_t>(names_.size() - 1);
}

void RouteLabels::assign(std::vector<cache::Route>& routes) {
    for (cache::Route& route : routes) {
        if (route.name.empty()) route.name = cache::default_route_name(route.match);
        route.counter_slot = slot_for(route.name);
    }
}

std::vector<std::string> RouteLabels::labels() const {
    std::lock_guard lock(mutex_);
    return names_;
}

}  // namespace cachet::admin
