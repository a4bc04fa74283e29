#include "proxy/drill_slot.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

using namespace cachet;
using namespace cachet::proxy;

TEST_CASE("a published drill reads back whole, and a cleared slot is idle") {
    DrillSlot slot;
    CHECK(slot.idle());
    Drill drill;
    drill.kind = DrillKind::reset;
    drill.origin = 3;
    drill.rate_ppm = 250'000;
    drill.id = 7;
    drill.ends_at = 123'456;
    drill.cut_after = 42;
    slot.publish(drill);
    CHECK_FALSE(slot.idle());
    const Drill read = slot.read();
    CHECK(read.kind == DrillKind::reset);
    CHECK(read.origin == 3);
    CHECK(read.rate_ppm == 250'000);
    CHECK(read.id == 7);
    CHECK(read.ends_at == 123'456);
    CHECK(read.cut_after == 42);
    slot.clear();
    CHECK(slot.idle());
    CHECK(slot.next_action(0) == DrillAction{});
}

TEST_CASE("a reader never sees half of one drill and half of another while one is written") {
    // Every drill written has latency == ends_at == id: a torn read would show two of them.
    DrillSlot slot;
    std::atomic<bool> done{false};
    std::atomic<int> torn{0};
    std::thread reader([&] {
        while (!done.load(std::memory_order_relaxed)) {
            const Drill d = slot.read();
            if (d.kind == DrillKind::none) continue;
            if (d.latency != d.id || d.ends_at != d.id) torn.fetch_add(1);
        }
    });
    for (std::uint64_t id = 1; id <= 20'000; ++id) {
        Drill drill;
        drill.kind = DrillKind::slow;
        drill.id = id;
        drill.latency = id;
        drill.ends_at = id;
        slot.publish(drill);
    }
    done = true;
    reader.join();
    CHECK(torn.load() == 0);
}
