// `cachet snapshot ls PATH`: one line per distinct key, in the order keys first appear,
// with the first record's method, status and body size and how many records the key has
// (a recording may hold several answers for one key), then a summary line.
#include <algorithm>
#include <array>
#include <cinttypes>
#include <unordered_map>
#include <vector>

#include "snapshot/command.hpp"
#include "snapshot/subcommands.hpp"
#include "snapshot/text_display.hpp"

namespace cachet::snapshot {
namespace {

constexpr std::size_t column_count = 7;
using Row = std::array<std::string, column_count>;
const Row heading{"FIRST", "METHOD", "STATUS", "BODY", "COUNT", "URL", "KEY"};

struct KeyLine {
    std::uint64_t first = 0;  // the index of the key's first record: what `show` takes
    std::string method;
    std::string url;
    std::string key;  // escaped
    std::uint16_t status = 0;
    std::uint64_t body_size = 0;  // bytes
    std::uint64_t count = 0;      // records with this key
};

Row cells_of(const KeyLine& line) {
    return {std::to_string(line.first),
            line.method,
            std::to_string(line.status),
            std::to_string(line.body_size),
            std::to_string(line.count),
            line.url,
            line.key};
}

// Every column padded to its widest cell, but the last.
void print_table(std::FILE* out, const std::vector<Row>& rows) {
    std::array<std::size_t, column_count> widths{};
    for (const Row& row : rows) {
        for (std::size_t c = 0; c < column_count; ++c)
            widths[c] = std::max(widths[c], row[c].size());
    }
    for (const Row& row : rows) {
        std::string text;
        for (std::size_t c = 0; c < column_count; ++c) {
            text += row[c];
            if (c + 1 < column_count) text += std::string(widths[c] - row[c].size() + 2, ' ');
        }
        text += '\n';
        std::fputs(text.c_str(), out);
    }
}

}  // namespace

int list_snapshot(const std::string& path, std::FILE* out, std::FILE* err) {
    std::vector<KeyLine> lines;
    std::unordered_map<std::string, std::size_t> line_of_key;
    std::uint64_t index = 0;
    const ReadSummary summary = read_snapshot(path, ReadOptions{}, [&](const RecordView& record) {
        auto [found, inserted] = line_of_key.try_emplace(std::string(record.key), lines.size());
        if (inserted) {
            lines.push_back(KeyLine{.first = index,
                                    .method = escape_bytes(record.method),
                                    .url = escape_bytes(record.url),
                                    .key = escape_bytes(record.key),
                                    .status = record.status,
                                    .body_size = record.body.size(),
                                    .count = 0});
        }
        ++lines[found->second].count;
        ++index;
    });
    if (summary.bytes == 0) {  // no header: not read, or not a snapshot
        report_read_error(err, summary);
        return exit_bad_file;
    }
    std::vector<Row> rows{heading};
    for (const KeyLine& line : lines) rows.push_back(cells_of(line));
    print_table(out, rows);
    std::fprintf(out, "%" PRIu64 " records, %zu keys, %" PRIu64 " bytes\n", summary.records,
                 lines.size(), summary.bytes);
    if (!summary.ok()) {
        report_read_error(err, summary);
        return exit_bad_file;
    }
    return exit_ok;
}

}  // namespace cachet::snapshot
