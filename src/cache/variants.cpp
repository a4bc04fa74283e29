#include "cache/variants.hpp"

#include <algorithm>
#include <cstring>

#include "cache/store.hpp"
#include "http/head_fields.hpp"

namespace cachet::cache {
namespace {

constexpr std::size_t max_primary = std::tuple_size_v<decltype(KeyBuffer::bytes)>;
constexpr std::size_t max_secondary = std::tuple_size_v<decltype(SecondaryKeyBuffer::bytes)>;
constexpr std::size_t max_varied_lines = 128;

bool joinable(std::string_view primary, std::string_view secondary) noexcept {
    return primary.size() <= max_primary && secondary.size() <= max_secondary &&
           primary.find(variant_separator) == std::string_view::npos;
}

bool is_varied(std::string_view name, const VaryNames& vary) noexcept {
    return std::any_of(vary.names().begin(), vary.names().end(),
                       [&](std::string_view n) { return http::iequals(n, name); });
}

}  // namespace

VaryKey build_variant_key(VariantKeyBuffer& out, std::string_view primary, const VaryNames& vary,
                          http::HeaderSpan request) noexcept {
    out.size = 0;
    out.hash = 0;
    SecondaryKeyBuffer secondary;
    const VaryKey outcome = build_secondary_key(secondary, vary, request);
    if (outcome != VaryKey::built) return outcome;
    if (!joinable(primary, secondary.view())) return VaryKey::malformed;
    char* at = out.bytes.data();
    std::memcpy(at, primary.data(), primary.size());
    at[primary.size()] = variant_separator;
    std::memcpy(at + primary.size() + 1, secondary.bytes.data(), secondary.size);
    out.size = primary.size() + 1 + secondary.size;
    out.hash = hash_key(out.view());
    return VaryKey::built;
}

std::string join_variant_key(std::string_view primary, std::string_view secondary) {
    if (!joinable(primary, secondary)) return {};
    std::string key;
    key.reserve(primary.size() + 1 + secondary.size());
    key.append(primary).append(1, variant_separator).append(secondary);
    return key;
}

VariantKeyParts split_variant_key(std::string_view key) noexcept {
    const std::size_t at = key.find(variant_separator);
    if (at == std::string_view::npos) return {key, {}, false};
    return {key.substr(0, at), key.substr(at + 1), true};
}

VaryKey build_secondary_key_of_head(SecondaryKeyBuffer& out, const VaryNames& vary,
                                    std::string_view request_head) noexcept {
    std::array<http::HeaderView, max_varied_lines> varied{};
    std::size_t count = 0;
    for (const http::HeaderView& field : http::HeadFields(request_head)) {
        if (!is_varied(field.name, vary)) continue;
        if (count == varied.size()) {
            out.size = 0;
            return VaryKey::too_long;
        }
        varied[count++] = field;
    }
    return build_secondary_key(out, vary, http::HeaderSpan(varied.data(), count));
}

std::string vary_marker_head(const VaryNames& vary) {
    std::string head = "cachet vary marker\r\nVary: ";
    bool first = true;
    for (const std::string_view name : vary.names()) {
        if (!first) head += ", ";
        head += name;
        first = false;
    }
    head += "\r\n";
    return head;
}

bool same_vary_names(const VaryNames& a, const VaryNames& b) noexcept {
    return std::equal(a.names().begin(), a.names().end(), b.names().begin(), b.names().end(),
                      [](std::string_view x, std::string_view y) { return http::iequals(x, y); });
}

bool insert_response(Store& store, EntryRef entry, Seconds now) {
    if (!entry) return false;
    const EntryRef variant = entry;  // keeps the key and head read below alive
    const VariantKeyParts parts = split_variant_key(variant->key());
    if (!store.insert(std::move(entry), now)) return false;
    if (!parts.is_variant) return true;

    const std::string variant_head = variant->head().text();  // the vary names borrow it
    const VaryNames vary = VaryNames::of_head(variant_head);
    const std::uint64_t primary_hash = hash_key(parts.primary);
    Seconds keep_until = variant->freshness().keep_until;
    if (EntryRef marker = store.lookup(parts.primary, primary_hash, now);
        marker && marker->is_vary_marker() &&
        same_vary_names(VaryNames::of_head(marker->head().own), vary)) {
        if (marker->freshness().keep_until >= keep_until) return true;  // long enough already
    }
    // A miss-path allocation: the marker's head text, copied into its entry.
    const std::string head = vary_marker_head(vary);
    Entry::Spec spec;
    spec.key = parts.primary;
    spec.hash = primary_hash;
    spec.head = head;
    spec.status = 0;
    spec.freshness = Freshness{variant->freshness().response_time, 0, 0, keep_until};
    spec.vary_marker = true;
    // A marker keeps its whole head (no shared lines): lookups read it as head().own.
    store.insert(Entry::create(spec), now);
    return true;
}

VariantLookup lookup_variant(Store& store, const Entry& marker, VariantKeyBuffer& key,
                             std::string_view primary, http::HeaderSpan request, Seconds now) {
    const VaryKey outcome =
        build_variant_key(key, primary, VaryNames::of_head(marker.head().own), request);
    if (outcome != VaryKey::built) return {EntryRef(), outcome};
    return {store.lookup(key.view(), key.hash, now), outcome};
}

}  // namespace cachet::cache
