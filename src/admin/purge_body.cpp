#include "admin/purge_body.hpp"

#include <simdjson.h>

namespace cachet::admin {

namespace {

using Failure = tl::unexpected<std::string>;

Failure fail(std::string reason) { return Failure(std::move(reason)); }

}  // namespace

tl::expected<cache::PurgeMatch, std::string> parse_purge_body(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    // Copies the body into simdjson's padded buffer: a purge is no hot path.
    if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
        return fail("body: expected a JSON object like {\"url\": \"http://host/path\"}");
    }
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) {
        return fail("body: expected a JSON object, not another JSON value");
    }

    cache::PurgeRequest request;
    int selectors = 0;
    for (auto field : object) {
        const std::string_view name = field.key;
        std::string_view text;
        if (name == "soft") {
            if (field.value.get_bool().get(request.soft) != simdjson::SUCCESS) {
                return fail("soft: expected true or false");
            }
            continue;
        }
        if (name != "url" && name != "prefix" && name != "tag" && name != "host") {
            return fail("body: unknown field \"" + std::string(name) +
                        "\"; use url, prefix (with host) or tag, and soft");
        }
        if (field.value.get_string().get(text) != simdjson::SUCCESS) {
            return fail(std::string(name) + ": expected a string");
        }
        if (name == "host") {
            request.host = text;
            continue;
        }
        ++selectors;
        if (name == "url") {
            request.by = cache::PurgeBy::url;
            request.url = text;
        } else if (name == "prefix") {
            request.by = cache::PurgeBy::prefix;
            request.path = text;
        } else {
            request.by = cache::PurgeBy::tag;
            request.tag = text;
        }
    }
    if (selectors != 1) {
        return fail(selectors == 0 ? "body: needs one of url, prefix or tag"
                                   : "body: url, prefix and tag exclude each other; send one");
    }
    if (!request.host.empty() && request.by != cache::PurgeBy::prefix) {
        return fail("host: only with prefix (a url names its own host)");
    }

    // The views into the parser's document stay valid until it goes, after normalise().
    auto match = cache::normalise(request);
    if (match) return *std::move(match);
    switch (request.by) {
    case cache::PurgeBy::url:
        return fail("url: expected an absolute http URL like http://host/path?q");
    case cache::PurgeBy::prefix:
        if (!request.path.starts_with('/')) return fail("prefix: expected a path starting with /");
        if (!request.host.empty() && match.error() != Errc::bad_request) {
            return fail("host: too long");
        }
        return fail(request.host.empty() ? "prefix: holds a control byte"
                                         : "host: not a host a request could name, or prefix "
                                           "holds a control byte");
    case cache::PurgeBy::tag: return fail("tag: expected a non-empty tag");
    }
    return fail("body: not a purge");
}

std::string purge_response_json(std::size_t purged) {
    return "{\"purged\":" + std::to_string(purged) + "}";
}

}  // namespace cachet::admin
