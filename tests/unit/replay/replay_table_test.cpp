#include "replay/replay_table.hpp"

#include <doctest/doctest.h>

#include <string>

#include "cache/key.hpp"

using namespace cachet;
using namespace cachet::replay;

namespace {

snapshot::RecordView exchange_record(std::string_view key, std::string_view body,
                                     std::uint32_t latency_us = 0) {
    snapshot::RecordView record;
    record.key = key;
    record.method = "GET";
    record.url = "example.com/a";
    record.status = 200;
    record.head = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n";
    record.body = body;
    record.latency_us = latency_us;
    record.initial_age = 7;
    return record;
}

std::string body_of(const ReplayTable& table, std::string_view key,
                    ReplayOrder order = ReplayOrder::cycle) {
    auto answer = table.answer(key, cache::hash_key(key), order, false);
    return answer ? std::string((*answer->entry)->body()) : std::string("(none)");
}

}  // namespace

TEST_CASE("replay table: a key's answer, and none for a key never recorded") {
    ReplayTable table;
    table.add(exchange_record("GET\x1f\x1f/a", "A", 1500));
    table.add(exchange_record("GET\x1f\x1f/b", "B"));
    table.seal();
    CHECK(table.key_count() == 2);
    CHECK(table.answer_count() == 2);
    CHECK(table.body_bytes() == 2);
    CHECK(body_of(table, "GET\x1f\x1f/a") == "A");
    CHECK(body_of(table, "GET\x1f\x1f/b") == "B");
    CHECK(body_of(table, "GET\x1f\x1f/c") == "(none)");
    auto answer =
        table.answer("GET\x1f\x1f/a", cache::hash_key("GET\x1f\x1f/a"), ReplayOrder::cycle, false);
    REQUIRE(answer);
    CHECK(answer->latency_us == 1500);
}

TEST_CASE("replay table: its entries are always fresh and keep their recorded Age") {
    ReplayTable table;
    table.add(exchange_record("k", "x"));
    auto answer = table.answer("k", cache::hash_key("k"), ReplayOrder::cycle, false);
    REQUIRE(answer);
    const cache::Entry& entry = **answer->entry;
    for (Seconds now : {Seconds{0}, Seconds{1'800'000'000}, Seconds{4'000'000'000}}) {
        CHECK(entry.fresh(now));
        CHECK(entry.age(now) == 7);
    }
    CHECK(entry.status() == 200);
    CHECK(entry.key() == "k");
}

TEST_CASE("replay table: several answers come in order, then cycle or stay on the last") {
    ReplayTable cycling;
    ReplayTable lasting;
    for (const char* body : {"1", "2", "3"}) {
        cycling.add(exchange_record("k", body));
        lasting.add(exchange_record("k", body));
    }
    std::string a;
    std::string b;
    for (int i = 0; i < 7; ++i) {
        a += body_of(cycling, "k", ReplayOrder::cycle);
        b += body_of(lasting, "k", ReplayOrder::last);
    }
    CHECK(a == "1231231");
    CHECK(b == "1233333");
    CHECK(cycling.key_count() == 1);
    CHECK(cycling.answer_count() == 3);
}

TEST_CASE("replay table: a key's occurrences are counted when asked, or when it has several") {
    ReplayTable table;
    table.add(exchange_record("one", "x"));
    auto ask = [&](bool counted) {
        return table.answer("one", cache::hash_key("one"), ReplayOrder::cycle, counted)->occurrence;
    };
    CHECK(ask(false) == 0);
    CHECK(ask(false) == 0);
    CHECK(ask(true) == 0);
    CHECK(ask(true) == 1);
    CHECK(ask(true) == 2);
}

TEST_CASE("replay table: many keys stay findable as the table grows") {
    ReplayTable table;
    std::vector<std::string> keys;
    for (int i = 0; i < 5000; ++i) keys.push_back("GET\x1f\x1f/item/" + std::to_string(i));
    for (const auto& key : keys) table.add(exchange_record(key, key));
    table.seal();
    CHECK(table.key_count() == 5000);
    for (const auto& key : keys) REQUIRE(body_of(table, key) == key);
}

TEST_CASE("replay table: nearest keys share the longest prefix with the one asked") {
    ReplayTable table;
    for (const char* key : {"GET\x1f\x1f/users/1", "GET\x1f\x1f/users/2", "GET\x1f\x1f/orders/1",
                            "POST\x1f\x1f/users"}) {
        table.add(exchange_record(key, "x"));
    }
    table.seal();
    auto nearest = table.nearest("GET\x1f\x1f/users/3", 2);
    REQUIRE(nearest.size() == 2);
    CHECK(nearest[0].substr(0, 12) == "GET\x1f\x1f/users/");
    CHECK(nearest[1].substr(0, 12) == "GET\x1f\x1f/users/");
    CHECK(table.nearest("zzz", 3).size() == 3);
    ReplayTable empty;
    empty.seal();
    CHECK(empty.nearest("GET", 3).empty());
}

TEST_CASE("replay table: vary markers and records without a key answer nothing") {
    ReplayTable table;
    auto marker = exchange_record("m", "");
    marker.vary_marker = true;
    table.add(marker);
    table.add(exchange_record("", "x"));
    CHECK(table.key_count() == 0);
    CHECK(body_of(table, "m") == "(none)");
}

TEST_CASE("printable_key shows separators as spaces and other control bytes escaped") {
    CHECK(printable_key("GET\x1f"
                        "example.com\x1f/a") == "GET example.com /a");
    CHECK(printable_key("a\x01"
                        "b") == "a\\x01b");
    CHECK(printable_key("k\x1e"
                        "v") == "k v");
}
