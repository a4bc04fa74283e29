// The admin dashboard (GET /): one self-contained page, and in headless Chromium its figures
// follow /stats under a small load. The screenshot stays in the build directory.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "harness/cachet.hpp"
#include "harness/http_client.hpp"
#include "harness/origin.hpp"

#ifndef ARTIFACT_DIR
#error "ARTIFACT_DIR must name the directory for test artifacts (tests/integration/meson.build)"
#endif

namespace cachet::integration {
namespace {

std::string chromium_binary() {
    for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
        if (::access(path, X_OK) == 0) return path;
    }
    return {};
}

// A fresh profile per run, as the flags below ask; removed at the end.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "cachet-chromium-XXXXXX");
        path = ::mkdtemp(pattern.data()) ? pattern : "";
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
};

RunResult run_chromium(const std::string& binary, const TempDir& profile,
                       const std::vector<std::string>& extra, const std::string& url) {
    std::vector<std::string> argv = {binary,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--disable-background-networking",
                                     "--disable-component-update",
                                     "--no-first-run",
                                     "--user-data-dir=" + profile.path.string(),
                                     "--virtual-time-budget=4500"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(url);
    return run_to_exit(argv, 60s);
}

// The value of attribute `name` on the first element that has it ("" when absent).
std::string attribute(const std::string& dom, const std::string& name) {
    auto at = dom.find(name + "=\"");
    if (at == std::string::npos) return {};
    at += name.size() + 2;
    return dom.substr(at, dom.find('"', at) - at);
}

// The inner HTML of the table with this id ("" when absent).
std::string table_html(const std::string& dom, const std::string& id) {
    auto at = dom.find("<table id=\"" + id + "\">");
    if (at == std::string::npos) return {};
    return dom.substr(at, dom.find("</table>", at) - at);
}

std::string element_text(const std::string& dom, const std::string& id) {
    auto at = dom.find("id=\"" + id + "\">");
    if (at == std::string::npos) return {};
    at = dom.find('>', at) + 1;
    return dom.substr(at, dom.find('<', at) - at);
}

TEST_CASE("admin: GET / is one self-contained HTML page") {
    TestOrigin origin;
    Cachet cachet(origin.url());
    Reply page = get(cachet.admin_port(), "/");
    REQUIRE_MESSAGE(page.ok(), page.describe());
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body.starts_with("<!DOCTYPE html>"));
    CHECK(page.body.find("fetch(\"/stats\"") != std::string::npos);
    for (const char* external : {"src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import"})
        CHECK_MESSAGE(page.body.find(external) == std::string::npos, external);
}

TEST_CASE("admin: the dashboard's figures change under load in headless Chromium") {
    const std::string chromium = chromium_binary();
    REQUIRE_MESSAGE(!chromium.empty(), "needs Debian's chromium: scripts/setup.sh chromium");
    TestOrigin origin;
    Cachet cachet(origin.url());
    const std::string url = "http://127.0.0.1:" + std::to_string(cachet.admin_port()) + "/";

    std::atomic<bool> stop{false};
    std::thread load([&] {
        // Hits with a miss now and then, until the browser is done: a small, steady load,
        // every other request for one hot key.
        for (int i = 0; !stop.load(); ++i) {
            const std::string target = i % 2 == 0 ? "/dash-hot" : "/dash" + std::to_string(i % 50);
            get(cachet.port(), target + "?cc=max-age=60", {}, 2s);
            std::this_thread::sleep_for(2ms);
        }
    });
    // The workers publish their top keys once a second, and the page may run its updates
    // in less real time than that (virtual time): the browser starts once /stats has some.
    const Deadline sampled = Deadline::after(10s);
    while (get(cachet.admin_port(), "/stats").body.find("\"top_keys\":[{") == std::string::npos &&
           !sampled.expired()) {
        std::this_thread::sleep_for(50ms);
    }
    TempDir profile;
    REQUIRE(!profile.path.empty());
    RunResult dom = run_chromium(chromium, profile, {"--dump-dom"}, url);
    const std::string shot = std::string(ARTIFACT_DIR) + "/admin-dashboard.png";
    std::filesystem::remove(shot);
    RunResult picture =
        run_chromium(chromium, profile, {"--screenshot=" + shot, "--window-size=1100,1000"}, url);
    stop = true;
    load.join();

    REQUIRE_MESSAGE(!dom.timed_out, dom.err.substr(0, 2000));
    const int updates = std::atoi(attribute(dom.out, "data-updates").c_str());
    CHECK_MESSAGE(updates >= 3, "updates: " << updates << "; dom: " << dom.out.substr(0, 3000));
    CHECK(std::atoll(attribute(dom.out, "data-requests-total").c_str()) > 0);
    // Rates need two readings, over up to five seconds (of the page's virtual time: the load
    // runs in real time meanwhile): by now the hit rate is a number above zero.
    const std::string hit_rate = element_text(dom.out, "rate_hit");
    CHECK_MESSAGE(std::atof(hit_rate.c_str()) > 0, "rate_hit: '" << hit_rate << "'");
    CHECK(element_text(dom.out, "rps") != "-");
    CHECK(std::atoi(element_text(dom.out, "entries").c_str()) > 0);
    CHECK(element_text(dom.out, "hit_ratio").find('%') != std::string::npos);
    // The top keys table: the hot key first, its estimated hits beside it.
    CHECK(std::atoi(attribute(dom.out, "data-top-keys").c_str()) > 0);
    const std::string top = table_html(dom.out, "top_keys");
    const auto first_key = top.find("<td class=\"key\">");
    CHECK_MESSAGE(first_key != std::string::npos, "top_keys: '" << top << "'");
    CHECK_MESSAGE(top.find("127.0.0.1/dash-hot?cc=max-age=60</td>") == first_key + 16,
                  "top_keys: '" << top << "'");
    CHECK(top.find("<td class=\"n\">~") != std::string::npos);

    CHECK_MESSAGE(!picture.timed_out, picture.err.substr(0, 2000));
    CHECK_MESSAGE(std::filesystem::exists(shot),
                  "no screenshot; stderr: " << picture.err.substr(0, 2000));
    if (std::filesystem::exists(shot)) CHECK(std::filesystem::file_size(shot) > 1000);
}

}  // namespace
}  // namespace cachet::integration
