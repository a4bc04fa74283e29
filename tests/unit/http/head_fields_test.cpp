#include "http/head_fields.hpp"

#include <doctest/doctest.h>

#include <iterator>
#include <random>
#include <ranges>
#include <string>
#include <vector>

using cachet::http::find_field;
using cachet::http::for_each_field;
using cachet::http::HeaderView;
using cachet::http::HeadFields;
using cachet::http::status_of;

namespace {

// A head as cache::Entry keeps it: every line ends CRLF, no final empty line.
constexpr std::string_view stored_head =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html\r\n"
    "ETag:   \"v1\"  \r\n"
    "Vary: Accept-Encoding\r\n"
    "vary: Accept-Language\r\n"
    "X-Empty:\r\n";

std::vector<std::pair<std::string, std::string>> fields_of(std::string_view head) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const HeaderView& f : HeadFields(head)) out.emplace_back(f.name, f.value);
    return out;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("the fields of a stored head are read in order, values trimmed (RFC 9110 §5.5)") {
    CHECK(fields_of(stored_head) == Fields{{"Content-Type", "text/html"},
                                           {"ETag", "\"v1\""},
                                           {"Vary", "Accept-Encoding"},
                                           {"vary", "Accept-Language"},
                                           {"X-Empty", ""}});
}

TEST_CASE("the status line is never read as a field") {
    CHECK(fields_of("HTTP/1.1 200 OK\r\n").empty());
    CHECK(fields_of("HTTP/1.1 200 Reason: with a colon\r\nA: b\r\n") == Fields{{"A", "b"}});
    CHECK(fields_of("").empty());
}

TEST_CASE("a bare LF ends a line, and a last line without CRLF still counts (RFC 9112 §2.2)") {
    CHECK(fields_of("HTTP/1.1 200 OK\nA: 1\nB: 2") == Fields{{"A", "1"}, {"B", "2"}});
    CHECK(fields_of("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2") == Fields{{"A", "1"}, {"B", "2"}});
}

TEST_CASE("lines that are not fields are skipped: no colon, no name, obs-fold (RFC 9112 §5.2)") {
    CHECK(fields_of("HTTP/1.1 200 OK\r\nnot a field\r\n: no name\r\n folded: x\r\n"
                    "Bad Name: y\r\nGood: z\r\n\r\n") == Fields{{"Good", "z"}});
}

TEST_CASE("a value keeps its inner colons and whitespace") {
    CHECK(fields_of("HTTP/1.1 200 OK\r\nLocation: http://h:8080/a b\r\n") ==
          Fields{{"Location", "http://h:8080/a b"}});
}

static_assert(std::forward_iterator<cachet::http::HeadFieldIterator>);
static_assert(std::ranges::forward_range<HeadFields>);

TEST_CASE("the field iterator is a forward iterator: copies advance on their own") {
    const HeadFields fields(stored_head);
    auto a = fields.begin();
    auto b = a;
    ++a;
    CHECK(b->name == "Content-Type");
    CHECK(a->name == "ETag");
    CHECK(a != b);
    auto c = b++;
    CHECK(c->name == "Content-Type");
    CHECK(b == a);
    CHECK(HeadFields("").begin() == HeadFields("").end());
    CHECK(std::distance(fields.begin(), fields.end()) == 5);
}

TEST_CASE("for_each_field visits every field, or stops when the visitor returns false") {
    int all = 0;
    for_each_field(stored_head, [&](const HeaderView&) { ++all; });
    CHECK(all == 5);
    int until_vary = 0;
    for_each_field(stored_head, [&](const HeaderView& f) {
        ++until_vary;
        return !cachet::http::iequals(f.name, "vary");
    });
    CHECK(until_vary == 3);
}

TEST_CASE("find_field returns the first value, by case-insensitive name (RFC 9110 §5.1)") {
    CHECK(find_field(stored_head, "etag") == "\"v1\"");
    CHECK(find_field(stored_head, "VARY") == "Accept-Encoding");
    CHECK(find_field(stored_head, "X-Empty") == "");
    CHECK_FALSE(find_field(stored_head, "X-Missing"));
    CHECK_FALSE(find_field(stored_head, "HTTP/1.1 200 OK"));
    CHECK_FALSE(find_field(stored_head, ""));
}

TEST_CASE("status_of reads the three-digit status code of the status line (RFC 9112 §4)") {
    CHECK(status_of(stored_head) == 200);
    CHECK(status_of("HTTP/1.1 404 Not Found\r\n") == 404);
    CHECK(status_of("HTTP/1.0 304 \r\n") == 304);
    CHECK(status_of("HTTP/1.1 204") == 204);
    CHECK(status_of("HTTP/1.1 999 Odd\nA: b") == 999);
}

TEST_CASE("status_of refuses a line that is not a status line") {
    CHECK_FALSE(status_of(""));
    CHECK_FALSE(status_of("HTTP/1.1 20 OK\r\n"));
    CHECK_FALSE(status_of("HTTP/1.1 2000 OK\r\n"));
    CHECK_FALSE(status_of("HTTP/1.1  200 OK\r\n"));
    CHECK_FALSE(status_of("http/1.1 200 OK\r\n"));
    CHECK_FALSE(status_of("HTTP/11 200 OK\r\n"));
    CHECK_FALSE(status_of("HTTP/1.1 2x0 OK\r\n"));
    CHECK_FALSE(status_of("Content-Type: text/html\r\n"));
}

TEST_CASE("random bytes read as a head never crash and yield only plausible fields") {
    std::mt19937 rng(9111);
    const std::string alphabet = "HTTP/1. 20:\r\n\t abc\"";
    for (int round = 0; round < 20000; ++round) {
        std::string head;
        const int size = static_cast<int>(rng() % 64);
        for (int i = 0; i < size; ++i) {
            head += (rng() % 4 == 0) ? static_cast<char>(rng() % 256)
                                     : alphabet[rng() % alphabet.size()];
        }
        for (const HeaderView& f : HeadFields(head)) {
            CHECK_FALSE(f.name.empty());
            REQUIRE(f.name.find_first_of(" \t\r\n") == std::string_view::npos);
            REQUIRE(f.value.find('\n') == std::string_view::npos);
        }
        (void)status_of(head);
        (void)find_field(head, "a");
    }
}
