// The integration tests: the real cachet binary on loopback sockets in front of the test origin
// (tools/test_origin.cpp). Run: meson test -C BUILD integration --verbose
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
