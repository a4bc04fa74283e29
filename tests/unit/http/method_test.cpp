#include "http/method.hpp"

#include <doctest/doctest.h>

using namespace cachet::http;

TEST_CASE(
    "a method's name parses back to the method, and names are case-sensitive (RFC 9110 §9.1)") {
    for (Method m :
         {Method::get, Method::head, Method::post, Method::put, Method::delete_, Method::connect,
          Method::options, Method::trace, Method::patch, Method::query}) {
        CHECK(parse_method(name(m)) == m);
    }
    CHECK(parse_method("get") == Method::other);
    CHECK(parse_method("PROPFIND") == Method::other);
    CHECK(parse_method("") == Method::other);
    CHECK(parse_method("GETX") == Method::other);
    CHECK(name(Method::other).empty());
}

TEST_CASE(
    "GET, HEAD, OPTIONS, TRACE and QUERY are safe; the others and unknown methods are not (RFC "
    "9110 §9.2.1)") {
    CHECK(is_safe(Method::get));
    CHECK(is_safe(Method::head));
    CHECK(is_safe(Method::options));
    CHECK(is_safe(Method::trace));
    CHECK(is_safe(Method::query));
    for (Method m : {Method::post, Method::put, Method::delete_, Method::connect, Method::patch,
                     Method::other}) {
        CHECK_FALSE(is_safe(m));
    }
}

TEST_CASE("only GET and HEAD are answered from the store") {
    CHECK(is_cacheable(Method::get));
    CHECK(is_cacheable(Method::head));
    CHECK_FALSE(is_cacheable(Method::options));
    CHECK_FALSE(is_cacheable(Method::post));
    CHECK_FALSE(is_cacheable(Method::query));  // only where a route keys its body
    CHECK_FALSE(is_cacheable(Method::other));
}
