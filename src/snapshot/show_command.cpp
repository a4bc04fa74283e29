// `cachet snapshot show PATH KEY|INDEX`: one record in full. Strings from the wire are
// escaped (text_display.hpp); a body is shown as is when it is text, else as a hex dump.
#include <cinttypes>
#include <ctime>
#include <optional>
#include <vector>

#include "snapshot/command.hpp"
#include "snapshot/record_copy.hpp"
#include "snapshot/subcommands.hpp"
#include "snapshot/text_display.hpp"

namespace cachet::snapshot {
namespace {

constexpr std::size_t hex_dump_bytes = 256;  // of a binary body

bool is_index(std::string_view text) {
    return !text.empty() && text.size() <= 19 &&
           text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool key_matches(std::string_view key, std::string_view wanted) {
    return key == wanted || escape_bytes(key) == wanted;
}

std::string time_text(std::int64_t seconds) {
    if (seconds == 0) return "0";
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm utc{};
    char text[32] = "?";
    if (gmtime_r(&t, &utc) != nullptr) std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
    return std::string(text) + " UTC (" + std::to_string(seconds) + ")";
}

std::string milliseconds_text(std::uint32_t microseconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f ms", microseconds / 1000.0);
    return text;
}

std::string flags_text(const Record& record) {
    std::string text;
    if (record.must_revalidate) text += " must-revalidate";
    if (record.has_validators) text += " has-validators";
    if (record.vary_marker) text += " vary-marker";
    return text.empty() ? "none" : text.substr(1);
}

void field(std::FILE* out, std::string_view name, const std::string& value) {
    std::fprintf(out, "%-26.*s%s\n", static_cast<int>(name.size()), name.data(), value.c_str());
}

// "request body" / "response body": a heading, then the bytes as text or as a hex dump.
void print_body(std::FILE* out, std::string_view name, std::string_view body) {
    const std::string size = std::to_string(body.size()) + " bytes";
    if (is_printable_text(body)) {
        std::fprintf(out, "\n%.*s (%s, text):\n", static_cast<int>(name.size()), name.data(),
                     size.c_str());
        std::fwrite(body.data(), 1, body.size(), out);
        if (!body.empty() && body.back() != '\n') std::fputc('\n', out);
        return;
    }
    const std::size_t shown = std::min(body.size(), hex_dump_bytes);
    std::fprintf(out, "\n%.*s (%s, binary; the first %zu):\n", static_cast<int>(name.size()),
                 name.data(), size.c_str(), shown);
    std::fputs(hex_dump(body, shown).c_str(), out);
}

// The head's lines, CRLF taken off and each escaped.
void print_head(std::FILE* out, std::string_view head) {
    std::fprintf(out, "\nresponse head (%zu bytes):\n", head.size());
    while (!head.empty()) {
        std::size_t end = head.find("\r\n");
        if (end == std::string_view::npos) end = head.size();
        std::fprintf(out, "%s\n", escape_bytes(head.substr(0, end)).c_str());
        head.remove_prefix(std::min(head.size(), end + 2));
    }
}

void print_record(std::FILE* out, const Record& record, std::uint64_t index, std::uint64_t total,
                  const std::vector<std::uint64_t>& same_key) {
    const bool entry = record.kind == RecordKind::entry;
    std::fprintf(out, "record %" PRIu64 " of %" PRIu64 ": %s\n", index, total,
                 entry ? "entry (saved by --persist)" : "exchange (recorded)");
    field(out, "key:", escape_bytes(record.key));
    field(out, "method:", escape_bytes(record.method));
    field(out, "url:", escape_bytes(record.url));
    field(out, "status:", std::to_string(record.status));
    field(out, "latency:", milliseconds_text(record.latency_us));
    field(out, "response time:", time_text(record.response_time));
    if (entry) {
        field(out, "initial age:", std::to_string(record.initial_age) + " s");
        field(out, "lifetime:", std::to_string(record.lifetime) + " s");
        field(out, "keep until:", time_text(record.keep_until));
        field(out, "stale-while-revalidate:", std::to_string(record.stale_while_revalidate) + " s");
        field(out, "stale-if-error:", std::to_string(record.stale_if_error) + " s");
        field(out, "flags:", flags_text(record));
    }
    std::string others;
    for (std::uint64_t other : same_key)
        others += (others.empty() ? "" : ", ") + std::to_string(other);
    field(out, "other records, same key:", others.empty() ? "none" : others);
    if (!record.request_body.empty()) print_body(out, "request body", record.request_body);
    print_head(out, record.head);
    print_body(out, "response body", record.body);
}

struct Found {
    Record record;
    std::uint64_t index = 0;
};

}  // namespace

int show_record(const std::string& path, std::string_view which, std::FILE* out, std::FILE* err) {
    const bool by_index = is_index(which);
    const std::uint64_t wanted = by_index ? std::stoull(std::string(which)) : 0;
    std::optional<Found> found;
    std::uint64_t index = 0;
    const RecordVisitor find = [&](const RecordView& record) {
        if (by_index ? index == wanted : key_matches(record.key, which)) {
            found = Found{owned_copy(record), index};
            return false;
        }
        ++index;
        return true;
    };
    const ReadSummary search = read_snapshot(path, ReadOptions{}, find);
    if (!found) {
        if (!search.ok()) {
            report_read_error(err, search);
        } else {
            report_error(err, path + " has no record " + (by_index ? "" : "with key ") +
                                  std::string(which) + " (" + std::to_string(search.records) +
                                  " records)");
        }
        return exit_bad_file;
    }
    // A second pass for the other records under the same key, and the count.
    std::vector<std::uint64_t> same_key;
    index = 0;
    const ReadSummary all = read_snapshot(path, ReadOptions{}, [&](const RecordView& record) {
        if (index != found->index && record.key == found->record.key) same_key.push_back(index);
        ++index;
    });
    print_record(out, found->record, found->index, all.records, same_key);
    if (!all.ok()) {
        report_read_error(err, all);
        return exit_bad_file;
    }
    return exit_ok;
}

}  // namespace cachet::snapshot
