#include "cache/purge.hpp"

#include "cache/key.hpp"
#include "cache/purge_index.hpp"
#include "http/host.hpp"

namespace cachet::cache {

namespace {

// host past "GET 0x1F" in a key built for it, without the target.
Result<std::string> normalised_host(std::string_view host) {
    KeyBuffer buffer;
    auto key = build_key(buffer, http::Method::get, host, "/");
    if (!key) return unexpected(key.error());
    std::string_view path = path_key(*key);
    return std::string(path.substr(0, path.size() - 2));  // drops 0x1F and "/"
}

bool holds_separator(std::string_view s) noexcept {
    for (const char c : s) {
        if ((static_cast<unsigned char>(c) | 1u) == 0x1f) return true;  // 0x1E or 0x1F
    }
    return false;
}

}  // namespace

Result<PurgeMatch> normalise(const PurgeRequest& request) {
    PurgeMatch match;
    match.by = request.by;
    match.soft = request.soft;
    switch (request.by) {
    case PurgeBy::url: {
        if (request.url.empty() && request.host.empty()) return unexpected(Errc::bad_request);
        if (!request.url.empty() && !http::absolute_form_authority(request.url)) {
            return unexpected(Errc::bad_request);
        }
        KeyBuffer buffer;
        // An absolute URL as the target: build_key takes its authority as the host.
        auto key = request.url.empty()
                       ? build_key(buffer, http::Method::get, request.host, request.path)
                       : build_key(buffer, http::Method::get, "", request.url);
        if (!key) return unexpected(key.error());
        match.url.assign(path_key(*key));
        return match;
    }
    case PurgeBy::prefix: {
        if (!request.path.starts_with('/') || holds_separator(request.path)) {
            return unexpected(Errc::bad_request);
        }
        if (!request.host.empty()) {
            auto host = normalised_host(request.host);
            if (!host) return unexpected(host.error());
            match.host = std::move(*host);
        }
        match.prefix.assign(request.path);
        return match;
    }
    case PurgeBy::tag:
        if (request.tag.empty()) return unexpected(Errc::bad_request);
        match.tag.assign(request.tag);
        return match;
    }
    return unexpected(Errc::bad_request);
}

}  // namespace cachet::cache
