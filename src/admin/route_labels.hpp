#pragma once
// The route label of cachet_requests_total{cache_status, route} and of /stats' "routes": a
// fixed table of kRouteSlots counter slots per worker, and which route name owns each.
// A name gets its slot the first time a configuration names it (at start, or a SIGHUP's
// file) and keeps it for the life of the process: a reload that reorders, adds or removes
// routes never moves a name to another slot, so every label's counter stays monotonic, and a
// name a reload dropped keeps its last value. Names past the table's capacity share "other".
//
// Threads: assign() runs where snapshots are made (server/config_source.hpp: the main
// thread), labels() on the admin thread; the mutex guards the names, which are only ever
// appended. Workers never read it: their routes carry the slot (cache::Route::counter_slot).
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::cache {
struct Route;
}

namespace cachet::admin {

inline constexpr std::size_t kRouteSlots = 64;
inline constexpr std::uint8_t kNoRouteSlot = 0;     // "none": a request that matched no route
inline constexpr std::uint8_t kOtherRouteSlot = 1;  // "other": names past the capacity

class RouteLabels {
public:
    RouteLabels();
    RouteLabels(const RouteLabels&) = delete;
    RouteLabels& operator=(const RouteLabels&) = delete;

    // The slot of `name`: the one it was given before, else the next free one, else "other".
    std::uint8_t slot_for(std::string_view name);
    // Gives every route the slot of its name (cache::Route::counter_slot).
    void assign(std::vector<cache::Route>& routes);
    // The label of each slot given so far, by slot: "none", "other", then the names in the
    // order they were first seen.
    std::vector<std::string> labels() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> names_;  // guarded by mutex_; index = slot, only appended
};

}  // namespace cachet::admin
