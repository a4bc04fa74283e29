#include "persist/store_file.hpp"

#include <cstring>
#include <vector>

#include "cache/key.hpp"
#include "snapshot/progress.hpp"
#include "snapshot/reader.hpp"
#include "snapshot/writer.hpp"

namespace cachet::persist {
namespace {

snapshot::RecordView entry_record(const cache::Entry& entry, const std::string& head) {
    snapshot::RecordView record;
    record.kind = snapshot::RecordKind::entry;
    record.key = entry.key();
    record.status = static_cast<std::uint16_t>(entry.status());
    record.head = head;
    record.body = entry.body();
    const cache::Freshness freshness = entry.freshness();
    record.response_time = freshness.response_time;
    record.initial_age = freshness.initial_age;
    record.lifetime = freshness.lifetime;
    record.keep_until = freshness.keep_until;
    const cache::StaleRules& stale = entry.stale_rules();
    record.stale_while_revalidate = stale.while_revalidate;
    record.stale_if_error = stale.if_error;
    record.must_revalidate = stale.must_revalidate;
    record.has_validators = stale.has_validators;
    record.vary_marker = entry.is_vary_marker();
    return record;
}

cache::EntryRef stored_entry(const snapshot::RecordView& record, cache::Store& store) {
    cache::Entry::Spec spec;
    spec.key = record.key;
    spec.hash = cache::hash_key(record.key);
    spec.head = record.head;
    spec.body_size = record.body.size();
    spec.status = record.status;
    spec.freshness = {record.response_time, record.initial_age, record.lifetime, record.keep_until};
    spec.stale = {record.stale_while_revalidate, record.stale_if_error, record.must_revalidate,
                  record.has_validators};
    spec.vary_marker = record.vary_marker;
    cache::EntryRef entry = cache::Entry::create(spec, store.shared_heads());
    if (!record.body.empty())
        std::memcpy(entry->body_data(), record.body.data(), record.body.size());
    return entry;
}

}  // namespace

SaveResult save_store(const cache::Store& store, const std::string& path, bool progress) {
    SaveResult result;
    std::optional<snapshot::Progress> bar;
    if (progress) bar.emplace("saving " + path);
    auto writer = snapshot::SnapshotWriter::create(path, bar ? &*bar : nullptr);
    if (!writer) {
        result.error = writer.error().message;
        return result;
    }
    if (bar) bar->add_total(store.stats().bytes);
    std::vector<cache::EntryRef> entries;
    for (std::size_t shard = 0; shard < store.shard_count(); ++shard) {
        entries.clear();
        store.collect_shard(shard, entries);
        for (const cache::EntryRef& entry : entries) {
            const std::string head = entry->head().text();
            if (auto appended = writer->append(entry_record(*entry, head)); !appended) {
                result.error = appended.error().message;
                return result;  // the writer removes its temporary file
            }
            ++result.entries;
        }
    }
    if (auto committed = writer->commit(); !committed) {
        result.error = committed.error().message;
        return result;
    }
    result.bytes = writer->bytes();
    return result;
}

LoadResult load_store(cache::Store& store, const std::string& path, Seconds now, bool partial) {
    LoadResult result;
    snapshot::Progress bar("loading " + path);
    snapshot::ReadOptions options;
    options.all_or_nothing = !partial;
    const auto summary = snapshot::read_snapshot(
        path, options,
        [&](const snapshot::RecordView& record) {
            if (record.kind != snapshot::RecordKind::entry || record.key.empty()) return;
            if (record.keep_until <= now) {
                ++result.expired;
                return;
            }
            if (store.insert(stored_entry(record, store), now))
                ++result.loaded;
            else
                ++result.refused;
        },
        &bar);
    bar.finish();
    if (summary.error) {
        if (summary.error->file_missing()) {
            result.missing = true;
        } else {
            result.error = summary.error->message;
        }
    }
    return result;
}

}  // namespace cachet::persist
