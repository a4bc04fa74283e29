#include "cache/withheld_fields.hpp"

#include <doctest/doctest.h>

using namespace cachet::cache;

TEST_CASE(
    "qualified private and no-cache withhold the fields they name (RFC 9111 §5.2.2.4, §5.2.2.7)") {
    CHECK(withholds("max-age=60, private=\"X-User, X-Session\"", "x-session"));
    CHECK(withholds("no-cache=\"Set-Cookie\"", "Set-Cookie"));
    CHECK(withholds("private=X-User", "X-User"));      // the token form
    CHECK(withholds("PRIVATE=\"x-user\"", "X-User"));  // names and fields case-insensitive
    CHECK_FALSE(withholds("private", "X-User"));       // unqualified: names no field
    CHECK_FALSE(withholds("no-cache", "X-User"));
    CHECK_FALSE(withholds("private=\"X-User\"", "X-Other"));
    CHECK_FALSE(withholds("max-age=\"X-User\"", "X-User"));
}

TEST_CASE(
    "a stored head loses the lines its Cache-Control withholds, and keeps the rest in order") {
    const std::string head =
        "HTTP/1.1 200 OK\r\n"
        "Cache-Control: max-age=60, private=\"X-User\"\r\n"
        "X-User: alice\r\n"
        "Content-Type: text/plain\r\n"
        "Cache-Control: no-cache=\"X-Trace\"\r\n"
        "x-trace: 1\r\n"
        "X-Trace: 2\r\n"
        "X-Ok: yes\r\n";
    CHECK(without_withheld_fields(head) ==
          "HTTP/1.1 200 OK\r\n"
          "Cache-Control: max-age=60, private=\"X-User\"\r\n"
          "Content-Type: text/plain\r\n"
          "Cache-Control: no-cache=\"X-Trace\"\r\n"
          "X-Ok: yes\r\n");
}

TEST_CASE("a head without qualified directives is kept as it is") {
    const std::string head = "HTTP/1.1 200 OK\r\nCache-Control: private, no-cache\r\nX-A: 1\r\n";
    CHECK(without_withheld_fields(head) == head);
}

TEST_CASE("a route's strip_set_cookie leaves every Set-Cookie line out of the stored head") {
    const std::string head =
        "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nCache-Control: max-age=60\r\nset-cookie: b=2\r\n";
    CHECK(cachet::cache::without_withheld_fields(head, true) ==
          "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\n");
    CHECK(cachet::cache::without_withheld_fields(head) == head);
    CHECK(cachet::cache::without_withheld_fields(
              "HTTP/1.1 200 OK\r\nCache-Control: private=\"X\"\r\nX: 1\r\nSet-Cookie: a=1\r\n",
              true) == "HTTP/1.1 200 OK\r\nCache-Control: private=\"X\"\r\n");
}

TEST_CASE("without_set_cookie leaves out Set-Cookie lines and nothing else") {
    CHECK(cachet::cache::without_set_cookie(
              "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nCache-Control: private=\"X\"\r\nX: 1\r\n") ==
          "HTTP/1.1 200 OK\r\nCache-Control: private=\"X\"\r\nX: 1\r\n");
}
