#include "server/response_tail.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>

using namespace cachet;
using namespace cachet::server;

namespace {

std::string tail_text(const ResponseTail& tail) {
    std::string out;
    append_tail(out, tail);
    return out;
}

ResponseTail forwarded() {
    ResponseTail tail;
    tail.phase = CachePhase::forwarded;
    return tail;
}

}  // namespace

TEST_CASE("a hit carries Age and `hit` (RFC 9111 §5.1, RFC 9211 §2.1)") {
    ResponseTail tail;
    tail.age = 7;
    CHECK(tail_text(tail) == "Age: 7\r\nCache-Status: cachet; hit\r\n\r\n");
}

TEST_CASE("a stale hit says so in its detail") {
    ResponseTail tail;
    tail.phase = CachePhase::stale_hit;
    tail.age = 70;
    CHECK(tail_text(tail) == "Age: 70\r\nCache-Status: cachet; hit; detail=stale\r\n\r\n");
}

TEST_CASE("Connection: none on HTTP/1.1 keep-alive, keep-alive on HTTP/1.0, else close") {
    CHECK(connection_field(true, false) == ConnectionField::none);
    CHECK(connection_field(true, true) == ConnectionField::keep_alive);
    CHECK(connection_field(false, false) == ConnectionField::close);
    CHECK(connection_field(false, true) == ConnectionField::close);
    ResponseTail tail;
    tail.age = 0;
    tail.connection = ConnectionField::keep_alive;
    CHECK(tail_text(tail) ==
          "Age: 0\r\nCache-Status: cachet; hit\r\nConnection: keep-alive\r\n\r\n");
    tail.connection = ConnectionField::close;
    CHECK(tail_text(tail) == "Age: 0\r\nCache-Status: cachet; hit\r\nConnection: close\r\n\r\n");
}

TEST_CASE("a stored miss: fwd, fwd-status, stored and ttl (RFC 9211 §2.2-§2.5)") {
    ResponseTail tail = forwarded();
    tail.forward_status = 200;
    tail.stored = true;
    tail.ttl = 60;
    CHECK(tail_text(tail) ==
          "Cache-Status: cachet; fwd=miss; fwd-status=200; stored; ttl=60\r\n\r\n");
}

TEST_CASE("a collapsed response that was not stored names why, as a token") {
    ResponseTail tail = forwarded();
    tail.forward = cache::Forward::vary_miss;
    tail.forward_status = 200;
    tail.collapsed = true;
    tail.detail = "no-store";
    CHECK(
        tail_text(tail) ==
        "Cache-Status: cachet; fwd=vary-miss; fwd-status=200; collapsed; detail=no-store\r\n\r\n");
}

TEST_CASE("a forwarded response with an initial Age carries it") {
    ResponseTail tail = forwarded();
    tail.forward = cache::Forward::stale;
    tail.forward_status = 304;
    tail.age = 3;
    tail.stored = true;
    tail.ttl = 0;
    CHECK(tail_text(tail) ==
          "Age: 3\r\nCache-Status: cachet; fwd=stale; fwd-status=304; stored; ttl=0\r\n\r\n");
}

TEST_CASE("a bypassed method says only fwd=bypass and the origin's status") {
    ResponseTail tail = forwarded();
    tail.forward = cache::Forward::bypass;
    tail.forward_status = 201;
    CHECK(tail_text(tail) == "Cache-Status: cachet; fwd=bypass; fwd-status=201\r\n\r\n");
}

TEST_CASE("cachet's own error quotes its reason as a string (RFC 8941 §3.3.3)") {
    ResponseTail tail;
    tail.phase = CachePhase::error;
    tail.detail = "origin refused the connection";
    tail.connection = ConnectionField::close;
    CHECK(tail_text(tail) ==
          "Cache-Status: cachet; fwd=miss; detail=\"origin refused the connection\"\r\n"
          "Connection: close\r\n\r\n");
}

TEST_CASE("a refused request carries no fwd, only its reason") {
    ResponseTail tail;
    tail.phase = CachePhase::refused;
    tail.detail = "missing Host header";
    tail.connection = ConnectionField::close;
    CHECK(tail_text(tail) ==
          "Cache-Status: cachet; detail=\"missing Host header\"\r\nConnection: close\r\n\r\n");
}

TEST_CASE("a detail's quotes and backslashes are escaped and control bytes dropped") {
    ResponseTail tail;
    tail.phase = CachePhase::refused;
    tail.detail = "bad \"x\\y\"\r\n";
    CHECK(tail_text(tail) == "Cache-Status: cachet; detail=\"bad \\\"x\\\\y\\\"\"\r\n\r\n");
}

TEST_CASE("a detail too long for the buffer is cut; the tail still ends with its empty line") {
    ResponseTail tail;
    tail.phase = CachePhase::refused;
    const std::string reason(1000, 'x');
    tail.detail = reason;  // a token: written bare
    tail.connection = ConnectionField::close;
    const std::string text = tail_text(tail);
    CHECK(text.size() <= kMaxTail);
    CHECK(text.ends_with("\r\nConnection: close\r\n\r\n"));
    const std::string spaced(1000, ' ');
    tail.detail = spaced;  // a string: quoted, and closed
    CHECK(tail_text(tail).ends_with("\"\r\nConnection: close\r\n\r\n"));
}

TEST_CASE("the hit path's 128-byte tail holds the longest hit tail") {
    std::array<char, 128> buffer;
    ResponseTail tail;
    tail.phase = CachePhase::stale_hit;
    tail.age = 4294967295;
    tail.connection = ConnectionField::keep_alive;
    const std::size_t n = write_tail(buffer, tail);
    CHECK(std::string(buffer.data(), n) ==
          "Age: 4294967295\r\nCache-Status: cachet; hit; detail=stale\r\n"
          "Connection: keep-alive\r\n\r\n");
}
