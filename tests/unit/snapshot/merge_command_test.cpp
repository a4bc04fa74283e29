// `cachet snapshot merge`, run in-process: the order it keeps and what it refuses.
#include <doctest/doctest.h>

#include <cstdio>

#include "snapshot/command.hpp"
#include "snapshot/writer.hpp"
#include "snapshot_fixtures.hpp"

using namespace cachet::snapshot;
using namespace cachet::snapshot::testing;

namespace {

std::string text_of(std::FILE* file) {
    std::fflush(file);
    std::string text(static_cast<std::size_t>(std::ftell(file)), '\0');
    std::rewind(file);
    text.resize(std::fread(text.data(), 1, text.size(), file));
    return text;
}

struct Run {
    int status;
    std::string out;
    std::string err;
};

Run run(std::vector<std::string_view> args) {
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    REQUIRE(out != nullptr);
    REQUIRE(err != nullptr);
    const int status = run_command(args, out, err);
    Run result{status, text_of(out), text_of(err)};
    std::fclose(out);
    std::fclose(err);
    return result;
}

}  // namespace

TEST_CASE("merge keeps every record of each input, inputs in the order given") {
    TempDir dir;
    std::vector<Record> first = {exchange_record(1), exchange_record(2)};
    std::vector<Record> second = {exchange_record(1), entry_record(), exchange_record(3)};
    second[0].body = "a second answer for record 1's key";
    write_file(dir.file("a.snap"), snapshot_bytes(first));
    write_file(dir.file("b.snap"), snapshot_bytes(second));
    const std::string out = dir.file("out.snap");

    const Run merged = run({"merge", out, dir.file("a.snap"), dir.file("b.snap")});
    CHECK_MESSAGE(merged.status == exit_ok, merged.err);
    CHECK(merged.out.find("merged 2 files: 5 records") == 0);
    const std::vector<Record> read = read_all(out);
    REQUIRE(read.size() == 5);
    check_same(first[0], view_of(read[0]));
    check_same(first[1], view_of(read[1]));
    check_same(second[0], view_of(read[2]));
    check_same(second[1], view_of(read[3]));
    check_same(second[2], view_of(read[4]));
}

TEST_CASE("merge refuses a corrupt input and leaves OUT as it was") {
    TempDir dir;
    std::vector<std::uint64_t> offsets;
    std::string bad = snapshot_bytes(some_exchanges(3), &offsets);
    bad[offsets[1] + frame_size + 2] ^= 0x04;
    write_file(dir.file("good.snap"), snapshot_bytes(some_exchanges(2)));
    write_file(dir.file("bad.snap"), bad);
    write_file(dir.file("out.snap"), "what was there before");

    const Run merged =
        run({"merge", dir.file("out.snap"), dir.file("good.snap"), dir.file("bad.snap")});
    CHECK(merged.status == exit_bad_file);
    CHECK(merged.err.find("checksum mismatch at offset " + std::to_string(offsets[1])) !=
          std::string::npos);
    CHECK(merged.err.find("(1 valid record before it)") != std::string::npos);
    CHECK(read_file(dir.file("out.snap")) == "what was there before");
    CHECK(dir.names() == std::vector<std::string>{"bad.snap", "good.snap", "out.snap"});
}

TEST_CASE("a command with the wrong operands is a usage error") {
    for (const auto& args : std::vector<std::vector<std::string_view>>{
             {}, {"ls"}, {"show", "a.snap"}, {"merge", "out.snap"}, {"frobnicate", "a"}}) {
        const Run r = run(args);
        CHECK(r.status == exit_usage);
        CHECK(r.err.rfind("usage: cachet snapshot ls PATH", 0) == 0);
        CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
    }
}
