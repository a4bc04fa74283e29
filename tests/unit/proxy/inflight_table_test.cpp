// Tests src/proxy/inflight_table.cpp and src/proxy/leader_permit.cpp: who leads, who waits,
// and that every way a leader's fetch ends takes its fill out of the table and frees its
// waiters (the waiter's own coalesce deadline lives in ResponseStream and is covered by
// tests/integration/coalescing_test.cpp).
#include "proxy/inflight_table.hpp"

#include <doctest/doctest.h>

#include <utility>
#include <vector>

#include "proxy/leader_permit.hpp"

using namespace cachet;
using namespace cachet::proxy;

namespace {

// Records what a fill's origin side would post to the workers (no loop runs here).
struct RecordingNotifier final : Notifier {
    std::vector<unsigned> notified;
    void notify(unsigned worker, FillRef) override { notified.push_back(worker); }
};

struct Waiter final : FillSubscriber {
    void on_fill_progress() override {}
};

constexpr unsigned kWorkers = 2;
constexpr unsigned kMaxWaiters = 3;

struct Table {
    RecordingNotifier notifier;
    InflightTable table{kWorkers, kMaxWaiters, notifier};
    InflightTable::Joined join(std::string_view key = "k", unsigned worker = 0) {
        return table.join(key, key.size(), worker);
    }
};

void publish(Fill& fill, cache::NotStored verdict) {
    FillHead head;
    head.status = 200;
    head.verdict = verdict;
    fill.publish_head(std::move(head));
}

}  // namespace

TEST_CASE("the first miss for a key leads; later ones wait on the same fill") {
    Table t;
    auto leader = t.join("k", 0);
    REQUIRE(leader.role == InflightTable::Role::leader);
    REQUIRE(leader.fill);
    CHECK(leader.permit);
    CHECK(leader.permit.fill().get() == leader.fill.get());
    CHECK(leader.permit.in_table());
    CHECK(leader.fill->key() == "k");
    CHECK(leader.fill->origin_worker() == 0);

    auto waiter = t.join("k", 1);
    CHECK(waiter.role == InflightTable::Role::waiter);
    CHECK(waiter.fill.get() == leader.fill.get());
    CHECK_FALSE(waiter.permit);  // the origin side holds the only permit
}

TEST_CASE("another key gets a leader of its own") {
    Table t;
    auto a = t.join("a");
    auto b = t.join("b");
    CHECK(a.role == InflightTable::Role::leader);
    CHECK(b.role == InflightTable::Role::leader);
    CHECK(a.fill.get() != b.fill.get());
}

TEST_CASE("keys that share a hash are told apart by the key") {
    Table t;
    auto a = t.table.join("ab", 7, 0);
    auto b = t.table.join("cd", 7, 0);
    CHECK(b.role == InflightTable::Role::leader);
    CHECK(a.fill.get() != b.fill.get());
    CHECK(t.table.join("ab", 7, 1).fill.get() == a.fill.get());
}

TEST_CASE("past max_waiters a miss fetches alone, with neither fill nor permit") {
    Table t;
    auto leader = t.join();
    for (unsigned i = 0; i < kMaxWaiters; ++i) CHECK(t.join().role == InflightTable::Role::waiter);
    auto extra = t.join();
    CHECK(extra.role == InflightTable::Role::alone);
    CHECK_FALSE(extra.fill);
    CHECK_FALSE(extra.permit);
}

TEST_CASE("a completed fill leaves the table: the next miss for its key leads a new one") {
    Table t;
    auto first = t.join();
    auto waiter = t.join();
    first.permit.complete(cache::EntryRef());
    CHECK_FALSE(first.permit);  // a permit is used once
    CHECK(first.fill->snapshot().state == Fill::State::complete);
    CHECK_FALSE(first.fill->snapshot().released);

    auto next = t.join();
    CHECK(next.role == InflightTable::Role::leader);
    CHECK(next.fill.get() != first.fill.get());
}

TEST_CASE("a head that will not be stored releases the waiters and frees the key") {
    Table t;
    auto leader = t.join();
    auto waiter = t.join();
    publish(*leader.fill, cache::NotStored::no_store);
    leader.permit.withdraw();
    CHECK(waiter.fill->snapshot().released);
    CHECK_FALSE(leader.permit.in_table());
    CHECK(leader.permit);  // the leader still feeds its own client

    auto next = t.join();
    CHECK(next.role == InflightTable::Role::leader);
    CHECK(next.fill.get() != leader.fill.get());

    // Its fill ends later without touching the new one's registration.
    leader.permit.complete(cache::EntryRef());
    CHECK(t.join().fill.get() == next.fill.get());
}

TEST_CASE("a body past the object limit releases the waiters without a head and frees the key") {
    Table t;
    auto leader = t.join();
    auto waiter = t.join();
    publish(*leader.fill, cache::NotStored::stored);
    CHECK_FALSE(waiter.fill->snapshot().released);
    leader.fill->refuse_storage(cache::NotStored::too_large);
    leader.permit.withdraw();
    CHECK(waiter.fill->snapshot().released);
    CHECK(leader.fill->head().verdict == cache::NotStored::too_large);
    CHECK(t.join().role == InflightTable::Role::leader);
}

TEST_CASE(
    "a permit dropped before completing fails the fill, releases its waiters, frees the key") {
    Table t;
    FillRef fill;
    {
        auto leader = t.join();
        fill = leader.fill;
        CHECK(t.join().role == InflightTable::Role::waiter);
    }  // the fetch ended some way nobody handled: an error, a client gone, a bug
    auto snapshot = fill->snapshot();
    CHECK(snapshot.state == Fill::State::failed);
    CHECK(snapshot.error == Errc::fetch_abandoned);
    CHECK(snapshot.released);
    CHECK(t.join().role == InflightTable::Role::leader);
}

TEST_CASE("a failed permit keeps the error it was given") {
    Table t;
    auto leader = t.join();
    leader.permit.fail(Errc::origin_first_byte_timeout);
    CHECK_FALSE(leader.permit);
    CHECK(leader.fill->snapshot().error == Errc::origin_first_byte_timeout);
    CHECK(leader.fill->snapshot().released);
    CHECK(t.join().role == InflightTable::Role::leader);
}

TEST_CASE("a permit dropped after the head fails the fill but keeps its waiters") {
    // Waiters that have the head stream it and must see the failure (a close before the
    // declared end), not fetch again.
    Table t;
    auto leader = t.join();
    publish(*leader.fill, cache::NotStored::stored);
    leader.permit = LeaderPermit();
    auto snapshot = leader.fill->snapshot();
    CHECK(snapshot.state == Fill::State::failed);
    CHECK_FALSE(snapshot.released);
    CHECK(t.join().role == InflightTable::Role::leader);
}

TEST_CASE("a moved permit acts only in its final owner") {
    Table t;
    auto leader = t.join();
    LeaderPermit retried;
    {
        LeaderPermit first = std::move(leader.permit);
        CHECK_FALSE(leader.permit);
        retried = std::move(first);  // a retry on a fresh connection
    }
    CHECK(leader.fill->snapshot().state == Fill::State::waiting);
    CHECK(t.join().role == InflightTable::Role::waiter);  // still in the table

    retried.complete(cache::EntryRef());
    CHECK(leader.fill->snapshot().state == Fill::State::complete);
    CHECK(t.join().role == InflightTable::Role::leader);
}

TEST_CASE("assigning over a held permit ends the fill it held") {
    Table t;
    auto a = t.join("a");
    auto b = t.join("b");
    a.permit = std::move(b.permit);
    CHECK(a.fill->snapshot().state == Fill::State::failed);
    CHECK(b.fill->snapshot().state == Fill::State::waiting);
    CHECK(t.join("a").role == InflightTable::Role::leader);
    CHECK(t.join("b").role == InflightTable::Role::waiter);
}

TEST_CASE("failing an already complete fill changes nothing") {
    Table t;
    auto leader = t.join();
    FillRef fill = leader.fill;
    leader.permit.complete(cache::EntryRef());
    fill->fail(Errc::origin_reset);
    CHECK(fill->snapshot().state == Fill::State::complete);
}

TEST_CASE("an unshared permit is for a fill outside the table") {
    Table t;
    auto leader = t.join();
    FillRef lone = Fill::create("k", 1, kWorkers, 0, t.notifier, false);
    {
        LeaderPermit permit = LeaderPermit::unshared(lone);
        CHECK(permit);
        CHECK_FALSE(permit.in_table());
    }
    CHECK(lone->snapshot().state == Fill::State::failed);
    // The registered fill for the same key is untouched.
    CHECK(t.join().fill.get() == leader.fill.get());
}

TEST_CASE("waiters on another worker are woken once per burst") {
    Table t;
    auto leader = t.join("k", 0);
    Waiter waiter;
    leader.fill->subscribe(1, waiter);
    publish(*leader.fill, cache::NotStored::stored);
    leader.fill->append("abc", 3);
    CHECK(t.notifier.notified == std::vector<unsigned>{1});  // not yet delivered: one post
    leader.fill->deliver(1);
    leader.permit.complete(cache::EntryRef());
    CHECK(t.notifier.notified == std::vector<unsigned>{1, 1});
    leader.fill->unsubscribe(1, waiter);
}
