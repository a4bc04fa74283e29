#include "admin/bearer_token.hpp"

#include <doctest/doctest.h>

using namespace cachet::admin;

TEST_CASE("constant_time_equal compares whole strings") {
    CHECK(constant_time_equal("secret", "secret"));
    CHECK_FALSE(constant_time_equal("secret", "secreT"));
    CHECK_FALSE(constant_time_equal("secret", "secret2"));
    CHECK_FALSE(constant_time_equal("secret", ""));
    CHECK(constant_time_equal("", ""));
}

TEST_CASE("authorize: the bearer token, a missing or wrong one, and none configured") {
    CHECK(authorize("Bearer s3cret", "s3cret") == Authorization::granted);
    CHECK(authorize("bearer s3cret", "s3cret") == Authorization::granted);  // scheme: any case
    CHECK(authorize("Bearer s3cret ", "s3cret") == Authorization::granted);
    CHECK(authorize("Bearer s3cre", "s3cret") == Authorization::wrong);
    CHECK(authorize("Bearer S3CRET", "s3cret") == Authorization::wrong);  // the token: exact
    CHECK(authorize("", "s3cret") == Authorization::missing);
    CHECK(authorize("Basic czNjcmV0", "s3cret") == Authorization::missing);
    CHECK(authorize("Bearer ", "s3cret") == Authorization::missing);
    CHECK(authorize("Bearer s3cret", "") == Authorization::no_token_configured);
}
