#include "snapshot/reader.hpp"

#include "snapshot/mapped_file.hpp"
#include "snapshot/progress.hpp"

namespace cachet::snapshot {
namespace {

// What one pass over the records after the header found.
struct Pass {
    std::uint64_t records = 0;
    std::uint64_t end = header_size;  // the offset just past the last good record
    bool stopped = false;
    std::optional<FormatError> error;
};

// Decodes every record in order, handing each to `on_record` when there is one.
Pass walk(std::string_view file, ChecksumCheck check, const RecordVisitor* on_record,
          Progress* progress) {
    Pass pass;
    while (pass.end < file.size()) {
        auto decoded = decode(file, pass.end, check);
        if (!decoded) {
            pass.error = decoded.error();
            break;
        }
        if (progress != nullptr) progress->advance(decoded->next_offset - pass.end);
        pass.end = decoded->next_offset;
        ++pass.records;
        if (on_record != nullptr && !(*on_record)(decoded->record)) {
            pass.stopped = true;
            break;
        }
    }
    return pass;
}

void take_pass(ReadSummary& summary, const Pass& pass, bool delivered) {
    summary.records = pass.records;
    summary.delivered = delivered ? pass.records : 0;
    summary.bytes = pass.end;
    summary.stopped = pass.stopped;
    if (pass.error) summary.error = format_error("", *pass.error);
}

}  // namespace

ReadSummary read_records(std::string_view file, const ReadOptions& options,
                         const RecordVisitor& on_record, Progress* progress) {
    ReadSummary summary;
    auto header = decode_header(file);
    if (!header) {
        summary.error = format_error("", header.error());
        return summary;
    }
    summary.header = *header;
    summary.bytes = header_size;
    const std::uint64_t passes = options.all_or_nothing ? 2 : 1;
    if (progress != nullptr) progress->add_total(passes * (file.size() - header_size));

    if (options.all_or_nothing) {
        const Pass check = walk(file, ChecksumCheck::verify, nullptr, progress);
        if (check.error) {
            take_pass(summary, check, /*delivered=*/false);
            return summary;
        }
        // Every record is known good: the second pass skips the checksums (decode still
        // checks every length, so a file changed under the mapping cannot be read past).
        take_pass(summary, walk(file, ChecksumCheck::skip, &on_record, progress), true);
        return summary;
    }
    take_pass(summary, walk(file, ChecksumCheck::verify, &on_record, progress), true);
    return summary;
}

ReadSummary read_snapshot(const std::string& path, const ReadOptions& options,
                          const RecordVisitor& on_record, Progress* progress) {
    auto file = MappedFile::open(path);
    if (!file) {
        ReadSummary summary;
        summary.error = std::move(file.error());
        return summary;
    }
    ReadSummary summary = read_records(file->bytes(), options, on_record, progress);
    if (summary.error && summary.error->format) {
        summary.error = format_error(path, *summary.error->format);
    }
    return summary;
}

ReadSummary verify_snapshot(const std::string& path, Progress* progress) {
    const RecordVisitor count_only = [](const RecordView&) { return true; };
    ReadSummary summary = read_snapshot(path, ReadOptions{}, count_only, progress);
    summary.delivered = 0;
    return summary;
}

}  // namespace cachet::snapshot
