#include "cache/head_response.hpp"

#include <optional>

#include "cache/store.hpp"
#include "cache/variants.hpp"
#include "http/head_fields.hpp"
#include "http/http_date.hpp"
#include "http/tokens.hpp"

namespace cachet::cache {
namespace {

std::optional<std::string_view> first_field(http::HeaderSpan headers,
                                            std::string_view name) noexcept {
    for (const auto& field : headers) {
        if (http::iequals(field.name, name)) return http::trim_ows(field.value);
    }
    return std::nullopt;
}

// Two Last-Modified values match when they name the same instant, whatever the date format
// each uses (RFC 9110 §5.6.7); values that are not dates must be equal as text.
bool same_date(std::string_view a, std::string_view b) noexcept {
    auto da = http::parse_http_date(a);
    auto db = http::parse_http_date(b);
    if (da && db) return *da == *db;
    return a == b;
}

bool same_length(std::string_view content_length, std::uint64_t body_size) noexcept {
    return http::parse_digits(http::trim_ows(content_length)) == body_size;
}

}  // namespace

HeadAgreement compare_head_response(std::string_view stored_head, std::uint64_t stored_body_size,
                                    http::HeaderSpan head_response) noexcept {
    // RFC 9111 §4.3.5: "if the stored response and HEAD response have matching values for any
    // received validator fields (ETag and Last-Modified) and, if the HEAD response has a
    // Content-Length header field, the value of Content-Length matches that of the stored
    // response, the cache SHOULD update the stored response ...; otherwise, the cache SHOULD
    // consider the stored response to be stale." A validator the stored response lacks
    // cannot match. ETags are compared as sent: a weak and a strong tag differ.
    if (auto etag = first_field(head_response, "etag")) {
        auto stored = http::find_field(stored_head, "etag");
        if (!stored || *stored != *etag) return HeadAgreement::differs;
    }
    if (auto modified = first_field(head_response, "last-modified")) {
        auto stored = http::find_field(stored_head, "last-modified");
        if (!stored || !same_date(*stored, *modified)) return HeadAgreement::differs;
    }
    if (auto length = first_field(head_response, "content-length")) {
        if (!same_length(*length, stored_body_size)) return HeadAgreement::differs;
    }
    return HeadAgreement::agrees;
}

EntryRef stored_get_response(Store& store, std::string_view primary_key, std::uint64_t hash,
                             http::HeaderSpan request, Seconds now) {
    EntryRef entry = store.lookup(primary_key, hash, now);
    if (entry && entry->is_vary_marker()) {
        VariantKeyBuffer key;
        entry = lookup_variant(store, *entry, key, primary_key, request, now).entry;
    }
    return entry;
}

}  // namespace cachet::cache
