#include "cache/only_if_cached.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace cachet;
using namespace cachet::cache;
using cachet::http::HeaderView;

namespace {

RequestFacts get_with(std::string_view cache_control) {
    const std::vector<HeaderView> fields = {{"Cache-Control", cache_control}};
    return request_facts(http::Method::get, fields);
}

}  // namespace

TEST_CASE("only-if-cached with no stored response is answered 504 (RFC 9111 §5.2.1.7)") {
    CHECK(only_if_cached_status == 504);
    CHECK(answer_with_504(get_with("only-if-cached"), std::nullopt, false));
}

TEST_CASE("only-if-cached is answered from a fresh stored response (RFC 9111 §5.2.1.7)") {
    CHECK_FALSE(answer_with_504(get_with("only-if-cached"), Servable::fresh, false));
}

TEST_CASE("only-if-cached takes a stale response that max-stale allows (RFC 9111 §5.2.1.7)") {
    CHECK_FALSE(answer_with_504(get_with("only-if-cached, max-stale"), Servable::stale, false));
}

TEST_CASE("only-if-cached gets 504 where validation would be needed (RFC 9111 §5.2.1.7)") {
    CHECK(answer_with_504(get_with("only-if-cached"), Servable::must_validate, false));
}

TEST_CASE("only-if-cached gets 504 when the request would otherwise go to the origin") {
    CHECK(answer_with_504(get_with("ONLY-IF-CACHED"), Servable::fresh, true));
}

TEST_CASE("without only-if-cached the origin may always be asked") {
    CHECK_FALSE(answer_with_504(get_with("max-age=0"), std::nullopt, true));
    CHECK_FALSE(answer_with_504(get_with(""), Servable::must_validate, false));
}
