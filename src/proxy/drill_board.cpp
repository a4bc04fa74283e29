#include "proxy/drill_board.hpp"

#include <cassert>

namespace cachet::proxy {

DrillBoard::Started DrillBoard::start(Drill drill) noexcept {
    assert(drill.origin < count_ && drill.kind != DrillKind::none);
    DrillSlot& slot = slots_[drill.origin];
    Started started;
    if (Drill earlier = slot.read(); earlier.kind != DrillKind::none) started.earlier = earlier;
    drill.id = ++last_id_;
    slot.publish(drill);
    started.drill = drill;
    return started;
}

std::optional<Drill> DrillBoard::end(unsigned origin) noexcept {
    DrillSlot& slot = slots_[origin];
    const Drill held = slot.read();
    if (held.kind == DrillKind::none) return std::nullopt;
    slot.clear();
    return held;
}

std::vector<Drill> DrillBoard::running(Millis now) const {
    std::vector<Drill> drills;
    for (std::size_t o = 0; o < count_; ++o) {
        if (slots_[o].idle()) continue;
        if (Drill drill = slots_[o].read(); proxy::running(drill, now)) drills.push_back(drill);
    }
    return drills;
}

std::vector<Drill> DrillBoard::end_expired(Millis now) {
    std::vector<Drill> ended;
    for (std::size_t o = 0; o < count_; ++o) {
        if (slots_[o].idle()) continue;
        Drill drill = slots_[o].read();
        if (drill.kind == DrillKind::none || proxy::running(drill, now)) continue;
        slots_[o].clear();
        ended.push_back(drill);
    }
    return ended;
}

}  // namespace cachet::proxy
