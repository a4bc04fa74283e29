#include "cache/update_headers.hpp"
#include "http/tokens.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "cache/withheld_fields.hpp"
#include "http/entity_tag.hpp"
#include "http/head_fields.hpp"
#include "http/hop_by_hop.hpp"
#include "http/http_date.hpp"

namespace cachet::cache {
namespace {

using http::is_ows;
using http::is_tchar;
using http::trim_ows;

using http::iequals;

// A field this function may write back without corrupting the head's framing.
bool writable(std::string_view name, std::string_view value) noexcept {
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) return false;
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::optional<std::string_view> first_value(http::HeaderSpan headers,
                                            std::string_view name) noexcept {
    for (const http::HeaderView& h : headers) {
        if (iequals(h.name, name)) return h.value;
    }
    return std::nullopt;
}

// Fields never taken from the new response (update_headers.hpp).
bool never_updated(std::string_view name) noexcept {
    for (const std::string_view n :
         {"content-length", "age", "content-encoding", "content-range", "proxy-authenticate",
          "proxy-authentication-info", "proxy-authorization"}) {
        if (iequals(name, n)) return true;
    }
    return false;
}

// What updated_head needs to know about the two messages, computed once.
class Merge {
public:
    Merge(std::string_view stored_head, http::HeaderSpan response,
          const UpdateOptions& options) noexcept
        : stored_head_(stored_head),
          response_(response),
          options_(options),
          connection_(response),
          response_has_cache_control_(
              std::any_of(response.begin(), response.end(), [&](const http::HeaderView& h) {
                  return iequals(h.name, "cache-control") && writable(h.name, h.value) &&
                         !http::must_strip(h.name, connection_);
              })) {}

    // A field of the response that becomes part of the stored head.
    bool taken(const http::HeaderView& field) const noexcept {
        if (!writable(field.name, field.value)) return false;
        if (http::must_strip(field.name, connection_) || never_updated(field.name)) return false;
        if (!options_.store_set_cookie && iequals(field.name, "set-cookie")) return false;
        return !withheld(field.name);
    }

    // A stored line that stays: not replaced by a taken field, not withheld. Date is
    // always replaced (by the response's or by the response time).
    bool kept(const http::HeaderView& field) const noexcept {
        if (!writable(field.name, field.value) || withheld(field.name)) return false;
        return !iequals(field.name, "date") && !taken_from_response_named(field.name);
    }

    bool taken_from_response_named(std::string_view name) const noexcept {
        return std::any_of(response_.begin(), response_.end(), [&](const http::HeaderView& h) {
            return iequals(h.name, name) && taken(h);
        });
    }

private:
    // Named by private="..." or no-cache="..." in the Cache-Control that the updated head
    // will carry (cache/withheld_fields.hpp).
    bool withheld(std::string_view name) const noexcept {
        if (response_has_cache_control_) {
            return std::any_of(response_.begin(), response_.end(), [&](const http::HeaderView& h) {
                return iequals(h.name, "cache-control") && withholds(h.value, name);
            });
        }
        bool named = false;
        http::for_each_field(stored_head_, [&](const http::HeaderView& h) {
            named = iequals(h.name, "cache-control") && withholds(h.value, name);
            return !named;
        });
        return named;
    }

    std::string_view stored_head_;
    http::HeaderSpan response_;
    const UpdateOptions& options_;
    http::ConnectionTokens connection_;
    bool response_has_cache_control_ = false;
};

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string_view name(UpdateSelection selection) noexcept {
    switch (selection) {
    case UpdateSelection::strong_match: return "strong-match";
    case UpdateSelection::weak_match: return "weak-match";
    case UpdateSelection::no_validators: return "no-validators";
    case UpdateSelection::mismatch: return "mismatch";
    }
    return "unknown";
}

UpdateSelection select_for_update(const StoredValidators& stored, http::HeaderSpan response,
                                  Seconds now) noexcept {
    const auto etag_line = first_value(response, "ETag");
    const auto etag = etag_line ? http::parse_entity_tag(*etag_line) : std::nullopt;
    const auto last_modified_line = first_value(response, "Last-Modified");
    std::optional<Seconds> last_modified;
    if (last_modified_line) last_modified = http::parse_http_date(*last_modified_line, now);
    const auto date_line = first_value(response, "Date");
    const auto date = date_line ? http::parse_http_date(*date_line, now) : std::nullopt;

    const bool strong_etag = etag && !etag->weak;
    const bool strong_last_modified = last_modified && date && *date >= *last_modified + 1;
    if (strong_etag || strong_last_modified) {
        const bool etag_matches =
            strong_etag && stored.etag && http::strong_match(*etag, *stored.etag);
        const bool last_modified_matches = strong_last_modified &&
                                           last_modified_is_strong(stored) &&
                                           *stored.last_modified == *last_modified;
        return etag_matches || last_modified_matches ? UpdateSelection::strong_match
                                                     : UpdateSelection::mismatch;
    }
    if (etag || last_modified) {
        const bool etag_corresponds = etag && stored.etag && http::weak_match(*etag, *stored.etag);
        bool last_modified_corresponds = false;
        if (last_modified && stored.last_modified) {
            last_modified_corresponds = *stored.last_modified == *last_modified;
        }
        return etag_corresponds || last_modified_corresponds ? UpdateSelection::weak_match
                                                             : UpdateSelection::mismatch;
    }
    // An ETag or Last-Modified line that did not parse is still a validator the origin
    // meant to send; it cannot be compared, so it selects nothing.
    if (etag_line || last_modified_line) return UpdateSelection::mismatch;
    return stored.etag || stored.last_modified ? UpdateSelection::mismatch
                                               : UpdateSelection::no_validators;
}

bool head_response_matches(const StoredValidators& stored, std::uint64_t stored_body_size,
                           http::HeaderSpan head_response, Seconds now) noexcept {
    if (const auto line = first_value(head_response, "ETag")) {
        const auto etag = http::parse_entity_tag(*line);
        if (!etag || !stored.etag || etag->weak != stored.etag->weak ||
            etag->opaque != stored.etag->opaque) {
            return false;
        }
    }
    if (const auto line = first_value(head_response, "Last-Modified")) {
        const auto last_modified = http::parse_http_date(*line, now);
        if (!last_modified || stored.last_modified != last_modified) return false;
    }
    if (const auto line = first_value(head_response, "Content-Length")) {
        if (http::parse_digits(trim_ows(*line)) != stored_body_size) return false;
    }
    return true;
}

std::string updated_head(std::string_view stored_head, http::HeaderSpan response,
                         Seconds response_time, const UpdateOptions& options) {
    const Merge merge(stored_head, response, options);
    std::string out;
    out.reserve(stored_head.size() + 64 * response.size() + 64);

    std::string_view status_line = stored_head.substr(0, stored_head.find('\n'));
    if (!status_line.empty() && status_line.back() == '\r') status_line.remove_suffix(1);
    out.append(status_line).append("\r\n");

    for (const http::HeaderView& field : http::HeadFields(stored_head)) {
        if (merge.kept(field)) append_field(out, field.name, field.value);
    }
    bool has_date = false;
    bool has_via = false;
    for (const http::HeaderView& field : response) {
        if (!merge.taken(field)) continue;
        append_field(out, field.name, field.value);
        has_date = has_date || iequals(field.name, "date");
        has_via = has_via || iequals(field.name, "via");
    }
    if (!has_date) {
        const http::HttpDateText date = http::format_http_date(response_time);
        append_field(out, "Date", {date.data(), date.size()});
    }
    if (has_via && !options.own_via.empty()) append_field(out, "Via", options.own_via);
    return out;
}

}  // namespace cachet::cache
