#pragma once
// Purges: dropping (hard) or staling (soft) the stored responses of a URL, of every target
// under a path prefix, or of every response that carried a tag. Store::purge carries them
// out shard by shard, one shard lock at a time, through each shard's PurgeIndex
// (cache/purge_index.hpp): a purge reads only what it matches, never the whole store.
//
// A soft purge ends the entries' freshness at `now` (Entry::expire) and keeps them stored:
// from then on cache::decide and cache::stale_use treat them like any stale entry, so one
// within stale-while-revalidate is served while one request revalidates it, one within
// stale-if-error stands in for a failing origin, a must-revalidate one is revalidated, and
// the validators make the revalidation a conditional request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cachet::cache {

enum class PurgeBy : std::uint8_t { url, prefix, tag };

struct PurgeRequest {
    PurgeBy by = PurgeBy::url;
    // url: "http://host/path?q", or a host here and an origin-form target in `path`.
    // prefix: the host to limit it to, or empty for every host.
    std::string_view host{};
    std::string_view url{};   // url: the absolute URL (when host and path are not given)
    std::string_view path{};  // url: origin-form target; prefix: what the target starts with
    std::string_view tag{};   // tag
    bool soft = false;
};

// What the shards match, normalised the way build_key writes keys (host lowercased,
// default port and trailing dot dropped): for a url, the key past its method
// ("host 0x1F target"); for a prefix, the host (empty: every host) and the prefix; for a
// tag, the tag.
struct PurgeMatch {
    PurgeBy by = PurgeBy::url;
    std::string url;
    std::string host;
    std::string prefix;
    std::string tag;
    bool soft = false;
};

// bad_request for a URL or host build_key refuses (or too long: key_too_long), an empty
// tag, a prefix not starting with '/' or holding a key separator byte.
Result<PurgeMatch> normalise(const PurgeRequest& request);

}  // namespace cachet::cache
