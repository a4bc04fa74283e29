// cachet_requests_total{cache_status, route} and /stats' "routes" on the real binary: each
// route's requests under its name (or its host and path), the rest under route="none", and
// each label's counter monotonic across a SIGHUP that reorders, removes and adds routes.
#include <signal.h>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <thread>

#include "harness/cachet.hpp"
#include "harness/config_file.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

namespace cachet::integration {
namespace {

// The value of cachet_requests_total for one status and route, or -1 when absent.
long long requests(int admin_port, const std::string& status, const std::string& route) {
    Reply metrics = get(admin_port, "/metrics");
    if (!metrics.ok()) return -1;
    const std::string line =
        "\ncachet_requests_total{cache_status=\"" + status + "\",route=\"" + route + "\"} ";
    auto at = metrics.body.find(line);
    if (at == std::string::npos) return -1;
    return std::stoll(metrics.body.substr(at + line.size()));
}

void must_get(int port, const std::string& target) {
    Reply r = get(port, target);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    REQUIRE(r.status == 200);
}

TEST_CASE("admin: requests are counted by route; requests of no route under none") {
    TestOrigin origin;
    ConfigFile file(R"({"routes": [{"match": {"path_prefix": "/api/"}, "name": "api"},
                                    {"match": {"path_prefix": "/img/"}}]})");
    Cachet cachet(origin.url(), {"--config", file.path()});
    for (int i = 0; i < 3; ++i) must_get(cachet.port(), "/api/a?cc=max-age=60");
    must_get(cachet.port(), "/img/b?cc=max-age=60");
    must_get(cachet.port(), "/elsewhere?cc=max-age=60");
    must_get(cachet.port(), "/elsewhere?cc=max-age=60");

    const int admin = cachet.admin_port();
    CHECK(requests(admin, "hit", "api") == 2);
    CHECK(requests(admin, "miss", "api") == 1);
    CHECK(requests(admin, "miss", "/img/") == 1);  // no name: its path as written
    CHECK(requests(admin, "hit", "/img/") == 0);
    CHECK(requests(admin, "miss", "none") == 1);
    CHECK(requests(admin, "hit", "none") == 1);
    CHECK(requests(admin, "hit", "other") == 0);

    Reply stats = get(admin, "/stats");
    REQUIRE_MESSAGE(stats.ok(), stats.describe());
    CHECK(stats.body.find("{\"name\":\"api\",\"requests\":{\"hit\":2,\"stale\":0,\"miss\":1,") !=
          std::string::npos);
    CHECK(stats.body.find("{\"name\":\"none\",\"requests\":{\"hit\":1,\"stale\":0,\"miss\":1,") !=
          std::string::npos);
    CHECK(stats.body.find("\"requests\":{\"hit\":3,\"stale\":0,\"miss\":3,") != std::string::npos);
}

TEST_CASE(
    "admin: route counters stay monotonic across a SIGHUP that reorders and replaces routes") {
    TestOrigin origin;
    ConfigFile file(R"({"routes": [{"match": {"path_prefix": "/api/"}, "name": "api"},
                                    {"match": {"path_prefix": "/img/"}, "name": "img"}]})");
    Cachet cachet(origin.url(), {"--config", file.path()});
    const int admin = cachet.admin_port();
    for (int i = 0; i < 3; ++i) must_get(cachet.port(), "/api/a?cc=max-age=60");
    must_get(cachet.port(), "/img/b?cc=max-age=60");
    REQUIRE(requests(admin, "hit", "api") == 2);

    // "new" first, "api" second, "img" gone.
    file.rewrite(R"({"routes": [{"match": {"path_prefix": "/new/"}, "name": "new"},
                                 {"match": {"path_prefix": "/api/"}, "name": "api"}]})");
    REQUIRE(::kill(cachet.pid(), SIGHUP) == 0);
    // The workers take the file at their next loop turn: until then /new/ counts as none.
    Deadline deadline = Deadline::after(10s);
    int sent = 0;
    while (requests(admin, "miss", "new") < 1 && !deadline.expired()) {
        must_get(cachet.port(), "/new/" + std::to_string(sent++) + "?cc=no-store");
        std::this_thread::sleep_for(20ms);
    }
    REQUIRE_MESSAGE(requests(admin, "miss", "new") >= 1, "the reload did not take effect");

    must_get(cachet.port(), "/api/a?cc=max-age=60");  // the same entry, the same series
    CHECK(requests(admin, "hit", "api") == 3);
    CHECK(requests(admin, "miss", "api") == 1);
    // A dropped route keeps its series and its value; its paths now count as none.
    CHECK(requests(admin, "miss", "img") == 1);
    must_get(cachet.port(), "/img/b?cc=max-age=60");
    CHECK(requests(admin, "hit", "img") == 0);
    CHECK(requests(admin, "hit", "none") == 1);
}

}  // namespace
}  // namespace cachet::integration
