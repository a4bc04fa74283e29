#include "cache/invalidation.hpp"
#include "http/tokens.hpp"

#include <algorithm>
#include <optional>

#include "http/header_view.hpp"

namespace cachet::cache {
namespace {

using http::is_ows;
using http::is_tchar;
using http::trim_ows;

using http::iequals;

constexpr std::string_view http_scheme = "http://";

constexpr bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool starts_with_http(std::string_view s) noexcept {
    return s.size() >= http_scheme.size() && iequals(s.substr(0, http_scheme.size()), http_scheme);
}

// RFC 3986 §2: a URI reference is printable ASCII without space, DQUOTE, "<", ">", "\",
// "^", "`", "{", "|", "}". A value with anything else is not a reference we resolve.
bool plausible_reference(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        constexpr std::string_view excluded = "\"<>\\^`{|}";
        return u > 0x20 && u < 0x7f && excluded.find(c) == std::string_view::npos;
    });
}

// The scheme of a reference (RFC 3986 §3.1), or "" when it has none.
std::string_view scheme_of(std::string_view ref) noexcept {
    if (ref.empty() || !is_alpha(ref.front())) return {};
    for (std::size_t i = 1; i < ref.size(); ++i) {
        const char c = ref[i];
        if (c == ':') return ref.substr(0, i);
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return {};
    }
    return {};
}

// A host as the key reads it (key.cpp put_host): userinfo, a trailing dot and the default
// port dropped, case ignored.
struct Authority {
    std::string_view name;
    std::string_view port;  // "" for the default port
};

Authority authority_of(std::string_view authority) noexcept {
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);
    }
    Authority a{authority, {}};
    std::size_t colon = std::string_view::npos;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close != std::string_view::npos && close + 1 < authority.size() &&
            authority[close + 1] == ':') {
            colon = close + 1;
        }
    } else if (const std::size_t last = authority.rfind(':'); last == authority.find(':')) {
        colon = last;
    }
    if (colon != std::string_view::npos) {
        a.name = authority.substr(0, colon);
        a.port = authority.substr(colon + 1);
        if (a.port == "80") a.port = {};
    }
    if (!a.name.empty() && a.name.back() == '.') a.name.remove_suffix(1);
    return a;
}

bool same_authority(std::string_view a, std::string_view b) noexcept {
    const Authority x = authority_of(a);
    const Authority y = authority_of(b);
    return iequals(x.name, y.name) && x.port == y.port;
}

// The request's target URI, split (RFC 9110 §7.1).
struct Base {
    std::string_view authority;       // absolute-form authority, else the Host field
    std::string_view path;            // "" stands for "/"
    std::string_view path_and_query;  // as the key reads it
};

std::optional<Base> base_of(const UnsafeExchange& exchange) noexcept {
    Base base;
    std::string_view rest = exchange.target;
    if (starts_with_http(rest)) {
        rest.remove_prefix(http_scheme.size());
        const std::size_t end = std::min(rest.find_first_of("/?#"), rest.size());
        base.authority = rest.substr(0, end);
        if (const std::size_t at = base.authority.rfind('@'); at != std::string_view::npos) {
            base.authority.remove_prefix(at + 1);
        }
        rest.remove_prefix(end);
        if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
            rest = rest.substr(0, hash);
        }
    } else if (rest.starts_with('/')) {
        base.authority = exchange.host;
    } else {
        return std::nullopt;  // asterisk-form, authority-form or garbage: nothing to resolve
    }
    base.path_and_query = rest;
    base.path = rest.substr(0, rest.find('?'));
    return base;
}

// Appends into the Invalidations' storage, remembering overflow.
class Storage {
public:
    explicit Storage(Invalidations& out) noexcept : out_(out), start_(out.used), size_(out.used) {}

    void put(std::string_view s) noexcept {
        if (s.size() > out_.storage.size() - size_) {
            overflow_ = true;
            return;
        }
        s.copy(out_.storage.data() + size_, s.size());
        size_ += s.size();
    }
    // RFC 3986 §5.2.4: removes the last segment written, and its preceding "/".
    void pop_segment() noexcept {
        const std::string_view written(out_.storage.data() + start_, size_ - start_);
        const std::size_t slash = written.rfind('/');
        size_ = start_ + (slash == std::string_view::npos ? 0 : slash);
    }
    std::string_view written() const noexcept {
        return {out_.storage.data() + start_, size_ - start_};
    }
    bool overflow() const noexcept { return overflow_; }
    void commit() noexcept { out_.used = size_; }

private:
    Invalidations& out_;
    std::size_t start_;
    std::size_t size_;
    bool overflow_ = false;
};

// RFC 3986 §5.2.4 remove_dot_segments, writing the result.
void put_without_dot_segments(Storage& out, std::string_view input) noexcept {
    static constexpr std::string_view slash = "/";
    while (!input.empty()) {
        if (input.starts_with("../")) {
            input.remove_prefix(3);
        } else if (input.starts_with("./")) {
            input.remove_prefix(2);
        } else if (input.starts_with("/./")) {
            input.remove_prefix(2);
        } else if (input == "/.") {
            input = slash;
        } else if (input.starts_with("/../")) {
            input.remove_prefix(3);
            out.pop_segment();
        } else if (input == "/..") {
            input = slash;
            out.pop_segment();
        } else if (input == "." || input == "..") {
            input = {};
        } else {
            const std::size_t next = input.find('/', 1);
            out.put(input.substr(0, next));
            input.remove_prefix(next == std::string_view::npos ? input.size() : next);
        }
    }
}

// RFC 3986 §5.2.2-§5.2.3 for an http base: writes the resolved path and query of `ref`
// into `out`; false when `ref` names another origin or is not usable.
bool resolve(Storage& out, const Base& base, std::string_view ref) noexcept {
    ref = trim_ows(ref);
    if (ref.empty() || !plausible_reference(ref)) return false;
    ref = ref.substr(0, ref.find('#'));
    const std::string_view scheme = scheme_of(ref);
    if (!scheme.empty()) {
        if (!iequals(scheme, "http")) return false;
        ref.remove_prefix(scheme.size() + 1);
        if (!ref.starts_with("//")) return false;  // http requires an authority
    }
    std::string_view path;
    std::string_view query;
    bool has_query = false;
    const auto split_query = [&](std::string_view rest) {
        const std::size_t q = rest.find('?');
        path = rest.substr(0, q);
        has_query = q != std::string_view::npos;
        if (has_query) query = rest.substr(q + 1);
    };
    if (ref.starts_with("//")) {
        ref.remove_prefix(2);
        const std::size_t end = std::min(ref.find_first_of("/?"), ref.size());
        if (!same_authority(ref.substr(0, end), base.authority)) return false;
        split_query(ref.substr(end));
        if (path.empty()) path = "/";  // RFC 9110 §4.2.3: an empty http path is "/"
        put_without_dot_segments(out, path);
    } else if (ref.starts_with('/')) {
        split_query(ref);
        put_without_dot_segments(out, path);
    } else if (ref.starts_with('?')) {
        split_query(ref);
        out.put(base.path.empty() ? std::string_view("/") : base.path);
    } else if (!ref.empty()) {
        // RFC 3986 §5.2.3 merge: the base path up to its last "/", then the reference.
        split_query(ref);
        std::array<char, 4096> merged_bytes;
        const std::string_view base_path = base.path.empty() ? std::string_view("/") : base.path;
        const std::string_view directory = base_path.substr(0, base_path.rfind('/') + 1);
        if (directory.size() + path.size() > merged_bytes.size()) return false;
        directory.copy(merged_bytes.data(), directory.size());
        path.copy(merged_bytes.data() + directory.size(), path.size());
        put_without_dot_segments(out, {merged_bytes.data(), directory.size() + path.size()});
    } else {
        return false;  // only a fragment: the request's own target
    }
    if (out.written().empty()) out.put("/");
    if (has_query) {
        out.put("?");
        out.put(query);
    }
    return !out.overflow();
}

void add(Invalidations& out, std::string_view host, std::string_view target) noexcept {
    for (std::size_t i = 0; i < out.count; ++i) {
        if (out.targets[i].target == target && same_authority(out.targets[i].host, host)) return;
    }
    if (out.count < out.targets.size()) out.targets[out.count++] = {host, target};
}

}  // namespace

std::span<const InvalidationTarget> invalidations(Invalidations& out,
                                                  const UnsafeExchange& exchange) noexcept {
    out.count = 0;
    out.used = 0;
    if (http::is_safe(exchange.method)) return out.view();
    if (exchange.status < 200 || exchange.status > 399) return out.view();
    const auto base = base_of(exchange);
    if (!base) return out.view();

    // The target URI itself, as the key reads it; compared below as resolved paths are.
    out.targets[out.count++] = {exchange.host, exchange.target};
    const std::string_view own_path =
        base->path_and_query.empty() ? std::string_view("/") : base->path_and_query;
    for (const std::string_view ref : {exchange.location, exchange.content_location}) {
        Storage storage(out);
        if (!resolve(storage, *base, ref)) continue;
        const std::string_view resolved = storage.written();
        if (resolved == own_path) continue;
        storage.commit();
        add(out, base->authority, resolved);
    }
    return out.view();
}

}  // namespace cachet::cache
