#include "cache/validators.hpp"

#include "http/head_fields.hpp"
#include "http/http_date.hpp"

namespace cachet::cache {

StoredValidators stored_validators(std::string_view head, Seconds response_time) noexcept {
    StoredValidators stored;
    stored.status = http::status_of(head).value_or(0);
    stored.response_time = response_time;
    // The first line of each singleton field decides, as in policy.cpp (RFC 9111 §4.2.1).
    bool etag_seen = false;
    bool date_seen = false;
    bool last_modified_seen = false;
    for (const http::HeaderView& field : http::HeadFields(head)) {
        if (!etag_seen && http::iequals(field.name, "ETag")) {
            stored.etag = http::parse_entity_tag(field.value);
            etag_seen = true;
        } else if (!date_seen && http::iequals(field.name, "Date")) {
            stored.date = http::parse_http_date(field.value, response_time);
            date_seen = true;
        } else if (!last_modified_seen && http::iequals(field.name, "Last-Modified")) {
            stored.last_modified = http::parse_http_date(field.value, response_time);
            last_modified_seen = true;
        }
    }
    return stored;
}

}  // namespace cachet::cache
