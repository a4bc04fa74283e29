#include "cache/derived_response.hpp"

#include <array>

#include "cache/range.hpp"
#include "http/head_fields.hpp"

namespace cachet::cache {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
}

bool kept_in_304(std::string_view name) {
    constexpr std::array<std::string_view, 8> kKept = {
        "cache-control", "content-location", "date", "etag", "expires",
        "vary",          "last-modified",    "via"};
    for (auto kept : kKept) {
        if (http::iequals(name, kept)) return true;
    }
    return false;
}

// The stored fields under a new status line, less the ones `skip` names.
template <class Skip>
std::string rewrite(std::string_view stored_head, std::string_view status_line, Skip skip) {
    std::string out;
    out.reserve(stored_head.size() + 64);
    out.append(status_line).append("\r\n");
    for (const http::HeaderView& field : http::HeadFields(stored_head)) {
        if (!skip(field.name)) append_field(out, field.name, field.value);
    }
    return out;
}

bool is_content_length(std::string_view name) { return http::iequals(name, "content-length"); }

}  // namespace

std::string not_modified_head(std::string_view stored_head) {
    return rewrite(stored_head, "HTTP/1.1 304 Not Modified",
                   [](std::string_view name) { return !kept_in_304(name); });
}

std::string partial_content_head(std::string_view stored_head, std::uint64_t first,
                                 std::uint64_t last, std::uint64_t length) {
    std::string out =
        rewrite(stored_head, "HTTP/1.1 206 Partial Content", [](std::string_view name) {
            return is_content_length(name) || http::iequals(name, "content-range");
        });
    ContentRangeText range;
    append_field(out, "Content-Range", format_content_range(range, first, last, length));
    append_field(out, "Content-Length", std::to_string(last - first + 1));
    return out;
}

std::string range_not_satisfiable_head(std::string_view stored_head, std::uint64_t length) {
    std::string out =
        rewrite(stored_head, "HTTP/1.1 416 Range Not Satisfiable", [](std::string_view name) {
            return !(http::iequals(name, "date") || http::iequals(name, "via") ||
                     http::iequals(name, "etag") || http::iequals(name, "last-modified") ||
                     http::iequals(name, "server"));
        });
    ContentRangeText range;
    append_field(out, "Content-Range", format_unsatisfied_range(range, length));
    append_field(out, "Content-Length", "0");
    return out;
}

}  // namespace cachet::cache
