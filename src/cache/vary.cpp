#include "cache/vary.hpp"

#include <algorithm>

#include "http/head_fields.hpp"
#include "http/tokens.hpp"

namespace cachet::cache {
namespace {

using http::iequals;
using http::is_ows;
using http::is_tchar;
using http::trim_ows;

constexpr char value_mark = '\x1f';  // a present field's value follows
constexpr char end_mark = '\x1e';    // end of one field's record

constexpr char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_token(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar);
}

// Field values hold VCHAR, obs-text, SP and HTAB (RFC 9110 §5.5); a control byte would also
// let two different inputs write the same key, so such a value is refused.
bool has_control_byte(std::string_view s) noexcept {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
    });
}

bool iless(std::string_view a, std::string_view b) noexcept {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](char x, char y) { return lower(x) < lower(y); });
}

// Position of the first `wanted` outside a quoted-string (RFC 9110 §5.6.4), or npos.
std::size_t find_unquoted(std::string_view s, char wanted) noexcept {
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == wanted) {
            return i;
        }
    }
    return std::string_view::npos;
}

enum class ListKind : std::uint8_t { none, accept, negotiation };

// The fields whose members are normalised and sorted (see vary.hpp, item 3).
ListKind list_kind(std::string_view name) noexcept {
    if (iequals(name, "accept")) return ListKind::accept;
    for (const std::string_view n : {"accept-charset", "accept-encoding", "accept-language"}) {
        if (iequals(name, n)) return ListKind::negotiation;
    }
    return ListKind::none;
}

// Appends into a fixed buffer, remembering overflow instead of checking every call.
class Writer {
public:
    Writer(char* data, std::size_t capacity) noexcept : data_(data), capacity_(capacity) {}

    void put(char c) noexcept {
        if (size_ == capacity_) {
            overflow_ = true;
            return;
        }
        data_[size_++] = c;
    }
    void put(std::string_view s) noexcept {
        if (s.size() > capacity_ - size_) {
            overflow_ = true;
            return;
        }
        s.copy(data_ + size_, s.size());
        size_ += s.size();
    }
    // Lowercases ASCII letters outside quoted-strings.
    void put_lower(std::string_view s) noexcept {
        bool quoted = false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (quoted && c == '\\' && i + 1 < s.size()) {
                put(c);
                put(s[++i]);
                continue;
            }
            if (c == '"') quoted = !quoted;
            put(quoted ? c : lower(c));
        }
    }

    std::size_t size() const noexcept { return size_; }
    bool overflow() const noexcept { return overflow_; }
    std::string_view written_since(std::size_t start) const noexcept {
        return {data_ + start, size_ - start};
    }

private:
    char* data_;
    std::size_t capacity_;
    std::size_t size_ = 0;
    bool overflow_ = false;
};

// A qvalue (RFC 9110 §12.4.2) without trailing zeros: "0.500" -> "0.5", "1.0" -> "1";
// the value as sent when it is not a qvalue.
std::string_view canonical_weight(std::string_view q) noexcept {
    const bool zero = q.starts_with('0');
    const bool one = q.starts_with('1');
    if (!zero && !one) return q;
    if (q.size() == 1) return q;
    if (q[1] != '.' || q.size() > 5) return q;
    for (const char c : q.substr(2)) {
        if (c < '0' || c > '9' || (one && c != '0')) return q;
    }
    while (q.back() == '0' && q.size() > 2) q.remove_suffix(1);
    if (q.back() == '.') q.remove_suffix(1);
    return q;
}

// Writes one list member of a content-negotiation field in canonical form (vary.hpp 3).
void put_member(Writer& w, std::string_view member, ListKind kind) noexcept {
    std::size_t semicolon = find_unquoted(member, ';');
    w.put_lower(trim_ows(member.substr(0, semicolon)));
    while (semicolon != std::string_view::npos) {
        member.remove_prefix(semicolon + 1);
        semicolon = find_unquoted(member, ';');
        const std::string_view parameter = trim_ows(member.substr(0, semicolon));
        if (parameter.empty()) continue;
        const std::size_t equals = parameter.find('=');
        const std::string_view name = parameter.substr(0, equals);
        if (iequals(name, "q") && equals != std::string_view::npos &&
            semicolon == std::string_view::npos) {
            // The weight, which comes last (RFC 9110 §12.4.2).
            const std::string_view weight = canonical_weight(parameter.substr(equals + 1));
            if (weight == "1") break;
            w.put(";q=");
            w.put(weight);
            break;
        }
        w.put(';');
        if (kind == ListKind::accept && equals != std::string_view::npos) {
            w.put_lower(name);
            w.put(parameter.substr(equals));
        } else {
            w.put_lower(parameter);
        }
    }
}

constexpr std::size_t max_members = 64;

// Writes the members of every `name` line of `request`, canonical and sorted, joined with
// ", ". The members are first written to `scratch`, then copied in order.
bool put_sorted_list(Writer& out, std::string_view name, ListKind kind,
                     http::HeaderSpan request) noexcept {
    std::array<char, 4096> scratch_bytes;
    Writer scratch(scratch_bytes.data(), scratch_bytes.size());
    std::array<std::string_view, max_members> members{};
    std::size_t count = 0;
    for (const http::HeaderView& h : request) {
        if (!iequals(h.name, name)) continue;
        std::string_view rest = h.value;
        while (true) {
            const std::size_t comma = find_unquoted(rest, ',');
            const std::string_view member = trim_ows(rest.substr(0, comma));
            if (!member.empty()) {
                if (count == members.size()) return false;
                const std::size_t start = scratch.size();
                put_member(scratch, member, kind);
                members[count++] = scratch.written_since(start);
            }
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    if (scratch.overflow()) return false;
    std::sort(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) out.put(", ");
        out.put(members[i]);
    }
    return true;
}

// Writes every `name` line of `request`, trimmed, joined with ", " (vary.hpp 2).
void put_combined(Writer& out, std::string_view name, http::HeaderSpan request) noexcept {
    bool first = true;
    for (const http::HeaderView& h : request) {
        if (!iequals(h.name, name)) continue;
        if (!first) out.put(", ");
        out.put(trim_ows(h.value));
        first = false;
    }
}

}  // namespace

VaryNames VaryNames::of_head(std::string_view head) noexcept {
    VaryNames vary;
    for (const http::HeaderView& field : http::HeadFields(head)) {
        if (iequals(field.name, "Vary")) vary.add_line(field.value);
    }
    return vary;
}

VaryNames VaryNames::of_headers(http::HeaderSpan headers) noexcept {
    VaryNames vary;
    for (const http::HeaderView& field : headers) {
        if (iequals(field.name, "Vary")) vary.add_line(field.value);
    }
    return vary;
}

void VaryNames::add_line(std::string_view vary_value) noexcept {
    std::string_view rest = vary_value;
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view member = trim_ows(rest.substr(0, comma));
        if (member == "*") {
            any_ = true;
        } else if (!member.empty() && !is_token(member)) {
            malformed_ = true;
        } else if (!member.empty()) {
            // Insert in order, unless already present (case-insensitively).
            const auto* begin = names_.data();
            const auto* end = names_.data() + count_;
            const auto* at = std::lower_bound(begin, end, member, iless);
            if (at == end || !iequals(*at, member)) {
                if (count_ == capacity) {
                    overflow_ = true;
                } else {
                    const auto index = static_cast<std::size_t>(at - begin);
                    std::move_backward(names_.begin() + static_cast<std::ptrdiff_t>(index),
                                       names_.begin() + static_cast<std::ptrdiff_t>(count_),
                                       names_.begin() + static_cast<std::ptrdiff_t>(count_ + 1));
                    names_[index] = member;
                    ++count_;
                }
            }
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
}

std::string_view name(VaryKey outcome) noexcept {
    switch (outcome) {
    case VaryKey::built: return "built";
    case VaryKey::never_matches: return "never-matches";
    case VaryKey::malformed: return "malformed";
    case VaryKey::too_long: return "too-long";
    }
    return "unknown";
}

VaryKey build_secondary_key(SecondaryKeyBuffer& out, const VaryNames& vary,
                            http::HeaderSpan request) noexcept {
    out.size = 0;
    if (vary.any()) return VaryKey::never_matches;
    if (vary.malformed()) return VaryKey::malformed;
    if (vary.overflow()) return VaryKey::too_long;
    Writer w(out.bytes.data(), out.bytes.size());
    for (const std::string_view name : vary.names()) {
        bool present = false;
        for (const http::HeaderView& h : request) {
            if (!iequals(h.name, name)) continue;
            if (has_control_byte(h.value)) return VaryKey::malformed;
            present = true;
        }
        w.put_lower(name);
        if (present) {
            w.put(value_mark);
            const ListKind kind = list_kind(name);
            if (kind == ListKind::none) {
                put_combined(w, name, request);
            } else if (!put_sorted_list(w, name, kind, request)) {
                return VaryKey::too_long;
            }
        }
        w.put(end_mark);
    }
    if (w.overflow()) return VaryKey::too_long;
    out.size = w.size();
    return VaryKey::built;
}

bool vary_matches(const VaryNames& vary, std::string_view stored_key,
                  http::HeaderSpan request) noexcept {
    SecondaryKeyBuffer key;
    return build_secondary_key(key, vary, request) == VaryKey::built && key.view() == stored_key;
}

}  // namespace cachet::cache
