// Tests src/proxy/origin_exchange.cpp: where one origin response stands, and its head as
// llhttp hands it over in pieces. No sockets: the transitions are what the llhttp callbacks
// and the connection's reads call.
#include "proxy/origin_exchange.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cachet;
using namespace cachet::proxy;

namespace {

std::string field(OriginExchange& exchange, std::size_t i) {
    auto fields = exchange.fields();
    REQUIRE(i < fields.size());
    return std::string(fields[i].name) + ": " + std::string(fields[i].value);
}

}  // namespace

TEST_CASE("an exchange starts awaiting its head, and its first byte starts the response") {
    OriginExchange exchange;
    exchange.reset();
    CHECK(exchange.phase() == ResponsePhase::awaiting_head);
    CHECK_FALSE(exchange.started());  // a reused connection closed now may be retried
    CHECK(exchange.failure(Errc::origin_reset) == Errc::origin_reset);
    exchange.on_bytes();
    CHECK(exchange.phase() == ResponsePhase::head);
    CHECK(exchange.started());
    exchange.on_bytes();  // later reads change nothing
    CHECK(exchange.phase() == ResponsePhase::head);
    CHECK_FALSE(exchange.head_published());
}

TEST_CASE("a final head, its body and its end complete the exchange") {
    OriginExchange exchange;
    exchange.reset();
    exchange.on_bytes();
    exchange.on_final_head();
    CHECK(exchange.phase() == ResponsePhase::body);
    CHECK(exchange.head_published());
    // The fill has the head: any failure from here truncates the response.
    CHECK(exchange.failure(Errc::origin_reset) == Errc::origin_truncated);
    CHECK(exchange.failure(Errc::origin_bad_response) == Errc::origin_truncated);
    CHECK(exchange.on_message_end(true));
    CHECK(exchange.phase() == ResponsePhase::complete);
    CHECK(exchange.keep_alive());
}

TEST_CASE("interim responses come and go before the final head, forgetting their heads") {
    OriginExchange exchange;
    exchange.reset();
    exchange.on_bytes();
    for (int i = 0; i < 2; ++i) {
        exchange.add_reason("Early Hints");
        REQUIRE(exchange.add_field_name("Link"));
        REQUIRE(exchange.add_field_value("</a.css>; rel=preload"));
        exchange.on_interim_head();
        CHECK(exchange.phase() == ResponsePhase::interim);
        CHECK(exchange.fields().empty());
        CHECK(exchange.reason().empty());
        CHECK_FALSE(exchange.head_published());
        CHECK_FALSE(exchange.on_message_end(true));  // a 1xx's end: the final head follows
        CHECK(exchange.phase() == ResponsePhase::head);
    }
    exchange.add_reason("OK");
    REQUIRE(exchange.add_field_name("Content-Length"));
    REQUIRE(exchange.add_field_value("2"));
    CHECK(exchange.reason() == "OK");
    CHECK(field(exchange, 0) == "Content-Length: 2");
    exchange.on_final_head();
    CHECK(exchange.on_message_end(false));
    CHECK_FALSE(exchange.keep_alive());
}

TEST_CASE("a stored response standing in discards the body and still completes") {
    OriginExchange exchange;
    exchange.reset();
    exchange.on_bytes();
    exchange.on_stored_head();
    CHECK(exchange.phase() == ResponsePhase::body_discarded);
    CHECK(exchange.head_published());
    CHECK(exchange.on_message_end(true));
    CHECK(exchange.phase() == ResponsePhase::complete);
}

TEST_CASE("bytes after the complete response make the connection unfit for reuse") {
    OriginExchange exchange;
    exchange.reset();
    exchange.on_bytes();
    exchange.on_final_head();
    exchange.on_message_end(true);
    exchange.refuse_reuse();
    CHECK_FALSE(exchange.keep_alive());
}

TEST_CASE("reset starts the next exchange afresh") {
    OriginExchange exchange;
    exchange.reset();
    exchange.on_bytes();
    exchange.add_reason("OK");
    REQUIRE(exchange.add_field_name("A"));
    REQUIRE(exchange.add_field_value("1"));
    exchange.on_final_head();
    exchange.on_message_end(true);
    exchange.reset();
    CHECK(exchange.phase() == ResponsePhase::awaiting_head);
    CHECK_FALSE(exchange.keep_alive());
    CHECK(exchange.fields().empty());
    CHECK(exchange.reason().empty());
}

TEST_CASE("head pieces split across reads join into whole names and values") {
    OriginExchange exchange;
    exchange.reset();
    exchange.add_reason("No");
    exchange.add_reason("t Found");
    REQUIRE(exchange.add_field_name("Content-"));
    REQUIRE(exchange.add_field_name("Type"));
    REQUIRE(exchange.add_field_value("text/"));
    REQUIRE(exchange.add_field_value("plain"));
    REQUIRE(exchange.add_field_name("ETag"));
    REQUIRE(exchange.add_field_value("\"x\""));
    CHECK(exchange.reason() == "Not Found");
    REQUIRE(exchange.fields().size() == 2);
    CHECK(field(exchange, 0) == "Content-Type: text/plain");
    CHECK(field(exchange, 1) == "ETag: \"x\"");
}

TEST_CASE("an obs-fold inside a value becomes spaces, never a line of its own (RFC 9112 §5.2)") {
    OriginExchange exchange;
    exchange.reset();
    REQUIRE(exchange.add_field_name("X-Folded"));
    REQUIRE(exchange.add_field_value("one"));
    REQUIRE(exchange.add_field_value("\r\n two"));
    CHECK(field(exchange, 0) == "X-Folded: one   two");
}

TEST_CASE("a head past its limits, or a value before any name, is refused") {
    OriginExchange exchange;
    exchange.reset();
    CHECK_FALSE(exchange.add_field_value("orphan"));
    for (std::size_t i = 0; i < OriginExchange::kMaxFields; ++i) {
        REQUIRE(exchange.add_field_name("F"));
        REQUIRE(exchange.add_field_value("v"));
    }
    CHECK_FALSE(exchange.add_field_name("One-Too-Many"));

    exchange.reset();
    REQUIRE(exchange.add_field_name("Big"));
    CHECK(exchange.add_field_value(std::string(OriginExchange::kMaxHeadBytes - 3, 'x')));
    CHECK_FALSE(exchange.add_field_value("x"));
}
