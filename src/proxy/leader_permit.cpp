#include "proxy/leader_permit.hpp"

#include <utility>

#include "proxy/inflight_table.hpp"

namespace cachet::proxy {

LeaderPermit::LeaderPermit(LeaderPermit&& other) noexcept
    : fill_(std::move(other.fill_)), table_(std::exchange(other.table_, nullptr)) {}

LeaderPermit& LeaderPermit::operator=(LeaderPermit&& other) noexcept {
    if (this == &other) return *this;
    abandon();
    fill_ = std::move(other.fill_);
    table_ = std::exchange(other.table_, nullptr);
    return *this;
}

void LeaderPermit::withdraw() noexcept {
    if (InflightTable* table = std::exchange(table_, nullptr)) table->remove(*fill_);
}

void LeaderPermit::complete(cache::EntryRef entry) {
    fill_->complete(std::move(entry));
    withdraw();
    fill_.reset();
}

void LeaderPermit::fail(Errc error) noexcept {
    fill_->fail(error);
    withdraw();
    fill_.reset();
}

}  // namespace cachet::proxy
