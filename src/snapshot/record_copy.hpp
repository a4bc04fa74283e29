#pragma once
// Between the two forms of a record (record.hpp): a view of an owned Record (to encode it),
// and an owned copy of a RecordView (to keep it past the reader's callback).
#include "snapshot/record.hpp"

namespace cachet::snapshot {

// Borrows `record`'s strings: valid while `record` is alive and unchanged.
inline RecordView view_of(const Record& record) {
    return RecordView{
        .kind = record.kind,
        .key = record.key,
        .method = record.method,
        .url = record.url,
        .request_body = record.request_body,
        .status = record.status,
        .head = record.head,
        .body = record.body,
        .latency_us = record.latency_us,
        .response_time = record.response_time,
        .initial_age = record.initial_age,
        .lifetime = record.lifetime,
        .keep_until = record.keep_until,
        .stale_while_revalidate = record.stale_while_revalidate,
        .stale_if_error = record.stale_if_error,
        .must_revalidate = record.must_revalidate,
        .has_validators = record.has_validators,
        .vary_marker = record.vary_marker,
    };
}

// Copies every string of `view` (one allocation per non-empty string).
inline Record owned_copy(const RecordView& view) {
    return Record{
        .kind = view.kind,
        .key = std::string(view.key),
        .method = std::string(view.method),
        .url = std::string(view.url),
        .request_body = std::string(view.request_body),
        .status = view.status,
        .head = std::string(view.head),
        .body = std::string(view.body),
        .latency_us = view.latency_us,
        .response_time = view.response_time,
        .initial_age = view.initial_age,
        .lifetime = view.lifetime,
        .keep_until = view.keep_until,
        .stale_while_revalidate = view.stale_while_revalidate,
        .stale_if_error = view.stale_if_error,
        .must_revalidate = view.must_revalidate,
        .has_validators = view.has_validators,
        .vary_marker = view.vary_marker,
    };
}

}  // namespace cachet::snapshot
