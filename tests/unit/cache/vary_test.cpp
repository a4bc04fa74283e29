#include "cache/vary.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <random>
#include <string>
#include <vector>

using namespace cachet::cache;
using cachet::http::HeaderView;

namespace {

VaryNames vary(std::initializer_list<std::string_view> lines) {
    VaryNames names;
    for (const std::string_view line : lines) names.add_line(line);
    return names;
}

std::vector<std::string> names_of(const VaryNames& v) {
    return {v.names().begin(), v.names().end()};
}

// The key as readable text: 0x1F shown as '=', 0x1E as '|'.
std::string key(const VaryNames& v, std::initializer_list<HeaderView> headers) {
    const std::vector<HeaderView> fields(headers);
    SecondaryKeyBuffer out;
    const VaryKey outcome = build_secondary_key(out, v, fields);
    if (outcome != VaryKey::built) return "<" + std::string(name(outcome)) + ">";
    std::string text(out.view());
    for (char& c : text) {
        if (c == '\x1f') c = '=';
        if (c == '\x1e') c = '|';
    }
    return text;
}

bool same_key(const VaryNames& v, std::initializer_list<HeaderView> a,
              std::initializer_list<HeaderView> b) {
    const std::string ka = key(v, a);
    return ka.front() != '<' && ka == key(v, b);
}

bool matches(const VaryNames& v, std::initializer_list<HeaderView> stored,
             std::initializer_list<HeaderView> request) {
    const std::vector<HeaderView> stored_fields(stored);
    const std::vector<HeaderView> request_fields(request);
    SecondaryKeyBuffer stored_key;
    if (build_secondary_key(stored_key, v, stored_fields) != VaryKey::built) return false;
    return vary_matches(v, stored_key.view(), request_fields);
}

}  // namespace

TEST_CASE("every secondary key outcome has a name for logs") {
    CHECK(name(VaryKey::built) == "built");
    CHECK(name(VaryKey::never_matches) == "never-matches");
    CHECK(name(VaryKey::malformed) == "malformed");
    CHECK(name(VaryKey::too_long) == "too-long");
}

// --- Vary's own field names --------------------------------------------------------------

TEST_CASE("Vary names are sorted and deduplicated, ignoring case (RFC 9110 §12.5.5)") {
    const VaryNames v = vary({"User-Agent, accept-encoding", " Accept-Encoding ,Accept", "ACCEPT"});
    CHECK(names_of(v) == std::vector<std::string>{"Accept", "accept-encoding", "User-Agent"});
    CHECK_FALSE(v.any());
    CHECK_FALSE(v.malformed());
}

TEST_CASE("empty Vary members are ignored (RFC 9110 §5.6.1)") {
    CHECK(names_of(vary({", ,Accept,,", ""})) == std::vector<std::string>{"Accept"});
    CHECK(vary({""}).names().empty());
}

TEST_CASE("Vary names are read from a stored head or from parsed response fields") {
    const VaryNames from_head = VaryNames::of_head(
        "HTTP/1.1 200 OK\r\nVary: Accept\r\n"
        "Content-Type: text/plain\r\nvary: Origin\r\n");
    CHECK(names_of(from_head) == std::vector<std::string>{"Accept", "Origin"});
    const std::vector<HeaderView> fields = {{"Vary", "Origin"}, {"X", "y"}, {"VARY", "accept"}};
    CHECK(names_of(VaryNames::of_headers(fields)) == std::vector<std::string>{"accept", "Origin"});
    CHECK(VaryNames::of_head("HTTP/1.1 200 OK\r\n").names().empty());
}

TEST_CASE("Vary: * never matches any request (RFC 9111 §4.1)") {
    CHECK(vary({"*"}).any());
    CHECK(vary({"Accept, *"}).any());
    CHECK(vary({"Accept", " * "}).any());
    CHECK(key(vary({"Accept, *"}), {{"Accept", "text/html"}}) == "<never-matches>");
    CHECK_FALSE(matches(vary({"*"}), {}, {}));
}

TEST_CASE("a Vary member that is not a field name makes the variant unmatchable") {
    CHECK(vary({"Accept Encoding"}).malformed());
    CHECK(vary({"\"Accept\""}).malformed());
    CHECK(key(vary({"Accept, a:b"}), {}) == "<malformed>");
}

TEST_CASE("a Vary listing more field names than fit cannot be matched") {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i <= VaryNames::capacity; ++i) {
        lines.push_back("X-" + std::to_string(i));
    }
    VaryNames v;
    for (const std::string& line : lines) v.add_line(line);
    CHECK(v.names().size() == VaryNames::capacity);
    CHECK(v.overflow());
    CHECK(key(v, {}) == "<too-long>");
}

// --- the key -----------------------------------------------------------------------------

TEST_CASE("a response without Vary names has an empty secondary key that every request matches") {
    CHECK(key(vary({}), {{"Accept", "x"}}) == "");
    CHECK(matches(vary({}), {{"Accept", "a"}}, {{"Accept", "b"}}));
}

TEST_CASE("the key records each varied field by lowercase name, in sorted order") {
    CHECK(key(vary({"X-B, x-a"}), {{"X-A", "1"}, {"x-b", "2"}}) == "x-a=1|x-b=2|");
}

TEST_CASE("an absent field only matches an absent field (RFC 9111 §4.1)") {
    const VaryNames v = vary({"X-Token"});
    CHECK(key(v, {}) == "x-token|");
    CHECK(key(v, {{"X-Token", ""}}) == "x-token=|");
    CHECK_FALSE(same_key(v, {}, {{"X-Token", ""}}));
    CHECK(matches(v, {}, {{"Other", "x"}}));
    CHECK_FALSE(matches(v, {}, {{"X-Token", "a"}}));
    CHECK_FALSE(matches(v, {{"X-Token", "a"}}, {}));
}

TEST_CASE("multiple field lines are combined as one list (RFC 9111 §4.1, RFC 9110 §5.3)") {
    const VaryNames v = vary({"X-List"});
    CHECK(key(v, {{"X-List", "a"}, {"x-list", "b"}}) == "x-list=a, b|");
    CHECK(same_key(v, {{"X-List", "a"}, {"X-List", "b"}}, {{"X-List", "a, b"}}));
    CHECK(same_key(v, {{"X-List", " a\t"}}, {{"X-List", "a"}}));
}

TEST_CASE("fields of unknown syntax are otherwise compared as sent") {
    const VaryNames v = vary({"User-Agent, Cookie"});
    CHECK_FALSE(
        same_key(v, {{"User-Agent", "A/1 (X11, Linux)"}}, {{"User-Agent", "A/1 (X11,Linux)"}}));
    CHECK_FALSE(same_key(v, {{"User-Agent", "a"}}, {{"User-Agent", "A"}}));
    CHECK_FALSE(same_key(v, {{"Cookie", "a=1; b=2"}}, {{"Cookie", "b=2; a=1"}}));
    // Line order is kept: whether it matters is the field's business.
    CHECK_FALSE(same_key(vary({"X"}), {{"X", "a"}, {"X", "b"}}, {{"X", "b"}, {"X", "a"}}));
}

TEST_CASE("the order of different varied fields in the request does not matter") {
    const VaryNames v = vary({"Origin, Accept-Language"});
    CHECK(same_key(v, {{"Origin", "https://a"}, {"Accept-Language", "en"}},
                   {{"Accept-Language", "en"}, {"Origin", "https://a"}}));
}

TEST_CASE("Accept-Encoding members are trimmed, lowercased and sorted (RFC 9110 §12.5.3)") {
    const VaryNames v = vary({"Accept-Encoding"});
    CHECK(key(v, {{"Accept-Encoding", "gzip, deflate, br"}}) ==
          "accept-encoding=br, deflate, gzip|");
    CHECK(same_key(v, {{"Accept-Encoding", "gzip,br"}}, {{"accept-encoding", " BR ,  GZip "}}));
    CHECK(same_key(v, {{"Accept-Encoding", "gzip"}, {"Accept-Encoding", "br"}},
                   {{"Accept-Encoding", "br, gzip"}}));
    CHECK(same_key(v, {{"Accept-Encoding", "gzip,,br,"}}, {{"Accept-Encoding", "br, gzip"}}));
    CHECK_FALSE(same_key(v, {{"Accept-Encoding", "gzip"}}, {{"Accept-Encoding", "br"}}));
    CHECK_FALSE(same_key(v, {{"Accept-Encoding", "gzip"}}, {{"Accept-Encoding", "gzip, gzip"}}));
}

TEST_CASE("weights are written canonically and q=1 is the default (RFC 9110 §12.4.2)") {
    const VaryNames v = vary({"Accept-Encoding"});
    CHECK(key(v, {{"Accept-Encoding", "gzip;q=1.000, br ; Q=0.500"}}) ==
          "accept-encoding=br;q=0.5, gzip|");
    CHECK(same_key(v, {{"Accept-Encoding", "gzip;q=0"}}, {{"Accept-Encoding", "gzip;q=0.000"}}));
    CHECK(same_key(v, {{"Accept-Encoding", "gzip;q=0.8"}}, {{"Accept-Encoding", "gzip; q=0.80"}}));
    CHECK(same_key(v, {{"Accept-Encoding", "gzip;q=1"}}, {{"Accept-Encoding", "gzip"}}));
    CHECK_FALSE(same_key(v, {{"Accept-Encoding", "gzip;q=0.5"}}, {{"Accept-Encoding", "gzip"}}));
    // Not qvalues: kept as sent.
    CHECK(key(v, {{"Accept-Encoding", "gzip;q=2.0"}}) == "accept-encoding=gzip;q=2.0|");
    CHECK(key(v, {{"Accept-Encoding", "gzip;q=0.12345"}}) == "accept-encoding=gzip;q=0.12345|");
    CHECK(key(v, {{"Accept-Encoding", "gzip;q=1.5"}}) == "accept-encoding=gzip;q=1.5|");
    CHECK(key(v, {{"Accept-Encoding", "gzip;q="}}) == "accept-encoding=gzip;q=|");
}

TEST_CASE("Accept-Language ranges are case-normalised and sorted (RFC 9110 §12.5.4)") {
    const VaryNames v = vary({"Accept-Language"});
    CHECK(same_key(v, {{"Accept-Language", "en-US, fr;q=0.5"}},
                   {{"Accept-Language", "fr; q=0.5,EN-us"}}));
    CHECK_FALSE(same_key(v, {{"Accept-Language", "en"}}, {{"Accept-Language", "en-US"}}));
}

TEST_CASE("Accept keeps parameter values as sent, normalises the rest (RFC 9110 §12.5.1)") {
    const VaryNames v = vary({"Accept"});
    CHECK(key(v, {{"Accept", "Text/HTML ; Level=1, */*;q=0.1"}}) ==
          "accept=*/*;q=0.1, text/html;level=1|");
    CHECK_FALSE(same_key(v, {{"Accept", "text/html;level=A"}}, {{"Accept", "text/html;level=a"}}));
    CHECK(same_key(v, {{"Accept", "application/json, text/html"}},
                   {{"Accept", "text/html,application/json"}}));
}

TEST_CASE("quoted strings keep their case, commas and semicolons (RFC 9110 §5.6.4)") {
    const VaryNames v = vary({"Accept"});
    CHECK(key(v, {{"Accept", "a/b;p=\"X, Y;Z\", c/d"}}) == "accept=a/b;p=\"X, Y;Z\", c/d|");
    const VaryNames charset = vary({"Accept-Charset"});
    CHECK(key(charset, {{"Accept-Charset", "UTF-8;x=\"Q\\\"A\""}}) ==
          "accept-charset=utf-8;x=\"Q\\\"A\"|");
}

TEST_CASE("empty parameters are dropped, a non-final q is an ordinary parameter") {
    const VaryNames v = vary({"Accept"});
    CHECK(same_key(v, {{"Accept", "text/html;;level=1;"}}, {{"Accept", "text/html;level=1"}}));
    CHECK(key(v, {{"Accept", "text/html;q=1;level=1"}}) == "accept=text/html;q=1;level=1|");
}

TEST_CASE("an Accept-Encoding with only empty members is present but empty") {
    const VaryNames v = vary({"Accept-Encoding"});
    CHECK(key(v, {{"Accept-Encoding", ""}}) == "accept-encoding=|");
    CHECK(same_key(v, {{"Accept-Encoding", " , "}}, {{"Accept-Encoding", ""}}));
    CHECK_FALSE(same_key(v, {{"Accept-Encoding", ""}}, {}));
}

TEST_CASE("a control byte in a varied request field makes the key unbuildable") {
    const VaryNames v = vary({"X-A"});
    CHECK(key(v, {{"X-A", std::string_view("a\x1f"
                                           "b",
                                           3)}}) == "<malformed>");
    CHECK(key(v, {{"X-A", std::string_view("a\0b", 3)}}) == "<malformed>");
    CHECK(key(v, {{"X-A", "a\tb"}}) == "x-a=a\tb|");
    // Fields that are not varied are not looked at.
    CHECK(key(v, {{"X-B", std::string_view("a\x1e", 2)}}) == "x-a|");
}

TEST_CASE("a key that does not fit the buffer is refused, not truncated") {
    const VaryNames v = vary({"X-Big"});
    const std::string big(5000, 'a');
    CHECK(key(v, {{"X-Big", big}}) == "<too-long>");
    const VaryNames ae = vary({"Accept-Encoding"});
    std::string many;
    for (int i = 0; i < 100; ++i) many += "c" + std::to_string(i) + ",";
    CHECK(key(ae, {{"Accept-Encoding", many}}) == "<too-long>");
    SecondaryKeyBuffer out;
    const std::vector<HeaderView> fields = {{"X-Big", big}};
    CHECK(build_secondary_key(out, v, fields) == VaryKey::too_long);
    CHECK(out.size == 0);
}

TEST_CASE("vary_matches compares a request with the key stored for a variant (RFC 9111 §4.1)") {
    const VaryNames v = vary({"Accept-Encoding", "Origin"});
    CHECK(matches(v, {{"Accept-Encoding", "gzip, br"}, {"Origin", "https://a"}},
                  {{"Origin", "https://a"}, {"Accept-Encoding", "br,gzip"}}));
    CHECK_FALSE(matches(v, {{"Accept-Encoding", "gzip, br"}, {"Origin", "https://a"}},
                        {{"Origin", "https://b"}, {"Accept-Encoding", "br,gzip"}}));
    CHECK_FALSE(vary_matches(v, "garbage", {}));
}

TEST_CASE("random request values never crash and keys built twice are equal") {
    std::mt19937 rng(41);
    const VaryNames v = vary({"Accept, Accept-Encoding, X-Other"});
    const std::string alphabet = "aB;q=0.5,\" \t\\/";
    const std::vector<std::string_view> names = {"Accept", "accept-encoding", "X-Other", "Y"};
    for (int round = 0; round < 5000; ++round) {
        std::vector<std::string> values(4);
        std::vector<HeaderView> fields;
        for (std::size_t i = 0; i < values.size(); ++i) {
            const int size = static_cast<int>(rng() % 40);
            for (int j = 0; j < size; ++j) {
                values[i] += (rng() % 10 == 0) ? static_cast<char>(rng() % 256)
                                               : alphabet[rng() % alphabet.size()];
            }
            fields.push_back({names[rng() % names.size()], values[i]});
        }
        SecondaryKeyBuffer a;
        SecondaryKeyBuffer b;
        const VaryKey first = build_secondary_key(a, v, fields);
        REQUIRE(build_secondary_key(b, v, fields) == first);
        REQUIRE(a.view() == b.view());
        if (first == VaryKey::built) REQUIRE(vary_matches(v, a.view(), fields));
    }
}
