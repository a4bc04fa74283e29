#pragma once
// Several stored responses for one URL (RFC 9111 §4.1): how variants live in the Store.
//
// A response that carries Vary is stored under its variant key: the primary key
// (cache/key.hpp), variant_separator, then the secondary key (cache/vary.hpp) of the
// request that fetched it. Under the primary key itself the store keeps a vary marker, a
// small Entry (Entry::is_vary_marker()) whose head lists the Vary names and which is never
// served. A lookup that finds a marker builds its own request's secondary key for those
// names and looks the variant key up; a response without Vary is found as before, with one
// lookup.
//
// What stays true:
// - A primary key never holds variant_separator (build_key refuses it), so the first one in
//   a variant key is where the secondary key starts, and no request's primary key can name
//   a variant.
// - While a marker's Vary names stay the same, its keep_until only grows, to the latest
//   keep_until of the variants stored under it. Two variants stored at the same moment may
//   race on that (the later write wins); the cost is a variant unreachable before its time,
//   never a wrong one served. LRU may also evict the marker before its variants; they are
//   then unreachable until the next variant is stored.
// - A response without Vary stored under the primary key replaces the marker, and so does
//   a marker with other Vary names (the origin changed its Vary set); erasing the primary
//   key (invalidation, RFC 9111 §4.4) removes it. The old variants can then no longer be
//   named by any lookup (their keys embed the old names) and leave through LRU or their own
//   keep_until.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cache/entry.hpp"
#include "cache/key.hpp"
#include "cache/vary.hpp"
#include "http/header_view.hpp"
#include "util/time.hpp"

namespace cachet::cache {

class Store;

// Room for the longest primary key, the separator and the longest secondary key, so a
// variant key built from keys that fit their own buffers always fits.
struct VariantKeyBuffer {
    std::array<char, std::tuple_size_v<decltype(KeyBuffer::bytes)> + 1 +
                         std::tuple_size_v<decltype(SecondaryKeyBuffer::bytes)>>
        bytes;
    std::size_t size = 0;
    std::uint64_t hash = 0;  // XXH3 of view()
    std::string_view view() const noexcept { return {bytes.data(), size}; }
};

// Writes the variant key of `request` for a response that varies on `vary`, and its hash.
// Any outcome but `built` leaves `out` empty (a primary key holding the separator, which
// build_key never writes, counts as malformed).
VaryKey build_variant_key(VariantKeyBuffer& out, std::string_view primary, const VaryNames& vary,
                          http::HeaderSpan request) noexcept;

// The same key from a secondary key already built (the store side, on the miss path: an
// allocation owned by the entry being built). Empty when a part is longer than its buffer
// or the primary key holds the separator.
std::string join_variant_key(std::string_view primary, std::string_view secondary);

// The two parts of a stored entry's key. For a primary key, `secondary` is empty and
// `is_variant` false.
struct VariantKeyParts {
    std::string_view primary;
    std::string_view secondary;
    bool is_variant = false;
};
VariantKeyParts split_variant_key(std::string_view key) noexcept;

// build_secondary_key for a request given as head text, request line then field lines (an
// OriginRequest's head: the fields cachet forwarded). Only the varied fields are read; more
// than 128 lines of them is `too_long`.
VaryKey build_secondary_key_of_head(SecondaryKeyBuffer& out, const VaryNames& vary,
                                    std::string_view request_head) noexcept;

// The head a marker keeps: a first line naming it, then one Vary line with the names.
std::string vary_marker_head(const VaryNames& vary);

// True when both list the same field names (each list is sorted and deduplicated).
bool same_vary_names(const VaryNames& a, const VaryNames& b) noexcept;

// Stores `entry` under its key, like Store::insert; a variant (its key holds the separator)
// also gets its URL's marker, written or extended per the rules above. False when the
// entry itself was not stored.
bool insert_response(Store& store, EntryRef entry, Seconds now);

// The variant of `marker`'s URL that `request` selects. `key` receives its variant key;
// `outcome` says why there is no entry when the key could not be built (`never_matches`
// included: a marker is never written for Vary: *, but its head is read defensively).
struct VariantLookup {
    EntryRef entry;
    VaryKey outcome = VaryKey::built;
};
VariantLookup lookup_variant(Store& store, const Entry& marker, VariantKeyBuffer& key,
                             std::string_view primary, http::HeaderSpan request, Seconds now);

}  // namespace cachet::cache
