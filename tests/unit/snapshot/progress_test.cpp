#include "snapshot/progress.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

using namespace cachet::snapshot;
using namespace std::chrono_literals;

namespace {

// What the progress bar wrote into a temporary file.
std::string written(std::FILE* file) {
    std::fflush(file);
    std::string text(static_cast<std::size_t>(std::ftell(file)), '\0');
    std::rewind(file);
    const std::size_t read = std::fread(text.data(), 1, text.size(), file);
    text.resize(read);
    std::fseek(file, 0, SEEK_END);
    return text;
}

struct FakeClock {
    Progress::Clock::time_point now{};
    Progress::Now function() {
        return [this] { return now; };
    }
};

}  // namespace

TEST_CASE("a progress bar on a file that is not a terminal writes nothing") {
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    {
        Progress progress("loading", file);
        CHECK_FALSE(progress.enabled());
        progress.add_total(10u << 20);
        progress.advance(5u << 20);
        progress.finish();
        CHECK(progress.done() == 5u << 20);
    }
    CHECK(written(file).empty());
    std::fclose(file);
}

TEST_CASE(
    "a progress bar shows bytes, share and speed, redraws at most 10 times a second, and is "
    "erased") {
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    FakeClock clock;
    Progress progress("verifying", file, true, clock.function());
    progress.add_total(4u << 20);
    clock.now += 500ms;
    progress.advance(1u << 20);
    const std::string first = written(file);
    CHECK(first.find("verifying [#####...............]  1.0 / 4.0 MiB  25%  2.0 MiB/s") !=
          std::string::npos);

    clock.now += 50ms;  // too soon for another
    progress.advance(1u << 20);
    CHECK(written(file) == first);

    clock.now += 100ms;
    progress.advance(1u << 20);
    CHECK(written(file).find("3.0 / 4.0 MiB  75%") != std::string::npos);

    progress.finish();
    const std::string all = written(file);
    CHECK(all.substr(all.size() - 4) == "\r\x1b[K");
    std::fclose(file);
}

TEST_CASE("small advances do not read the clock until 256 KiB have gone by") {
    int reads = 0;
    Progress progress("saving", nullptr, true, [&reads] {
        ++reads;
        return Progress::Clock::time_point{};
    });
    reads = 0;  // the constructor's
    for (int i = 0; i < 255; ++i) progress.advance(1024);
    CHECK(reads == 0);
}
