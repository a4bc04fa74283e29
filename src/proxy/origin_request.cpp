#include "proxy/origin_request.hpp"

#include "http/head_fields.hpp"
#include "http/hop_by_hop.hpp"

namespace cachet::proxy {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string_view origin_form(std::string_view target) noexcept {
    auto scheme = target.find("://");
    if (target.empty() || target.front() == '/' || scheme == std::string_view::npos) return target;
    auto path = target.find('/', scheme + 3);
    if (path == std::string_view::npos) {
        auto query = target.find('?', scheme + 3);
        return query == std::string_view::npos ? std::string_view("/") : target.substr(query);
    }
    return target.substr(path);
}

void add_validators(OriginRequest& request, std::string_view stored_head) {
    std::string fields;
    if (auto etag = http::find_field(stored_head, "etag"))
        append_field(fields, "If-None-Match", *etag);
    if (auto modified = http::find_field(stored_head, "last-modified")) {
        append_field(fields, "If-Modified-Since", *modified);
    }
    // The head ends with the empty line: the fields go before it.
    request.head.insert(request.head.size() - 2, fields);
}

void set_body_length(OriginRequest& request, std::uint64_t length) {
    if (!request.has_body) return;
    // build_origin_request writes the framing field last, just before the empty line.
    std::string& head = request.head;
    const std::size_t end = head.size() - 2;
    const std::size_t start = head.rfind("\r\n", end - 3);
    if (start == std::string::npos) return;
    head.replace(start + 2, end - (start + 2),
                 "Content-Length: " + std::to_string(length) + "\r\n");
    request.chunked_body = false;
}

OriginRequest build_origin_request(const http::RequestHead& request, std::string_view client_ip,
                                   const OriginAddress& origin, Seconds now) {
    OriginRequest out;
    out.method = request.method;
    out.host =
        std::string(request.host.empty() ? std::string_view(origin.authority) : request.host);
    out.target = std::string(request.target);
    out.head_method = request.method == http::Method::head;
    out.has_body = request.has_body;
    out.chunked_body = request.chunked;
    out.may_retry = !request.has_body && (request.method == http::Method::get || out.head_method ||
                                          request.method == http::Method::options);
    out.request_time = now;
    auto facts = cache::request_facts(request.method, request.header_span());
    out.has_authorization = facts.has_authorization;
    out.cache_control = facts.cache_control;
    out.pragma_no_cache = facts.pragma_no_cache;
    out.range_lines = facts.range_lines;

    http::ConnectionTokens connection(request.header_span());
    std::string& h = out.head;
    h.reserve(512);
    h.append(request.method_name)
        .append(" ")
        .append(origin_form(request.target))
        .append(" HTTP/1.1\r\n");
    append_field(h, "Host",
                 request.host.empty() ? std::string_view(origin.authority) : request.host);

    std::string_view forwarded_for;
    for (const auto& field : request.header_span()) {
        const auto name = field.name;
        if (http::must_strip(name, connection)) continue;
        if (http::iequals(name, "host") || http::iequals(name, "content-length") ||
            http::iequals(name, "expect")) {
            continue;  // Host written above; framing and 100-continue are this hop's business
        }
        if (http::iequals(name, "x-forwarded-for")) {
            forwarded_for = field.value;
            continue;
        }
        append_field(h, name, field.value);
    }
    h.append(request.version_minor == 0 && request.version_major == 1 ? "Via: 1.0 cachet\r\n"
                                                                      : "Via: 1.1 cachet\r\n");
    h.append("X-Forwarded-For: ");
    if (!forwarded_for.empty()) h.append(forwarded_for).append(", ");
    h.append(client_ip).append("\r\n");
    if (request.chunked) {
        h.append("Transfer-Encoding: chunked\r\n");
    } else if (request.has_body) {
        h.append("Content-Length: ").append(std::to_string(request.content_length)).append("\r\n");
    }
    h.append("\r\n");
    return out;
}

}  // namespace cachet::proxy
