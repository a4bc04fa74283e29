#include "proxy/leader_permit.hpp"

#include <utility>

#include "proxy/inflight_table.hpp"

namespace cachet::proxy {

void LeaderPermit::leave_table() noexcept { std::exchange(table_, nullptr)->remove(*fill_); }

void LeaderPermit::fail(Errc error) noexcept {
    fill_->fail(error);
    withdraw();
    fill_.reset();
}

}  // namespace cachet::proxy
