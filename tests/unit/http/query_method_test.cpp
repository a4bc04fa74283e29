#include "http/query_method.hpp"

#include <doctest/doctest.h>

#include <string>

using cachet::http::mask_query_method;

namespace {

// The head after masking, and whether it was masked.
std::pair<std::string, bool> masked(std::string head) {
    const bool done = mask_query_method(head.data(), head.size());
    return {head, done};
}

}  // namespace

TEST_CASE("mask_query_method: a QUERY request line is shown to the parser as PATCH") {
    CHECK(masked("QUERY /search HTTP/1.1\r\nHost: a\r\n\r\n") ==
          std::pair<std::string, bool>{"PATCH /search HTTP/1.1\r\nHost: a\r\n\r\n", true});
    // Empty lines before the request line are skipped, as llhttp skips them.
    CHECK(masked("\r\n\r\nQUERY / HTTP/1.1\r\n\r\n") ==
          std::pair<std::string, bool>{"\r\n\r\nPATCH / HTTP/1.1\r\n\r\n", true});
}

TEST_CASE("mask_query_method: anything else is left as it is") {
    for (const char* head :
         {"GET / HTTP/1.1\r\n\r\n", "query / HTTP/1.1\r\n\r\n", "QUERYX / HTTP/1.1\r\n\r\n",
          "QUERY", "QUERY\r\n", "QUE", "", "\r\n", "GET /QUERY HTTP/1.1\r\nX: QUERY \r\n\r\n"}) {
        auto [after, done] = masked(head);
        CHECK_FALSE(done);
        CHECK(after == head);
    }
}
