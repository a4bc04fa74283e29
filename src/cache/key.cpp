// Key layout: method SEP host SEP target, where SEP is a control byte that no valid request
// line or Host field contains. Method and host are checked for it, and the target comes
// last, so requests that still differ after normalisation never share a key. No part may
// hold variant_separator either: a variant's key is a primary key, that byte and a
// secondary key, and a request must not be able to name it.
#include "cache/key.hpp"

#include <xxhash.h>

#include "http/host.hpp"

namespace cachet::cache {

namespace {

constexpr char separator = '\x1f';  // ASCII unit separator
static_assert((variant_separator | 1) == separator, "the separators differ in the low bit only");

// ASCII lowercase of every byte (others unchanged).
constexpr std::array<char, 256> kLowercase = [] {
    std::array<char, 256> table{};
    for (int c = 0; c < 256; ++c) {
        table[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return table;
}();

// Appends to a KeyBuffer, remembering whether anything did not fit or was not allowed
// instead of checking after every call.
class KeyWriter {
public:
    explicit KeyWriter(KeyBuffer& out) noexcept : out_(out) {}

    void put(char c) noexcept {
        if (size_ == out_.bytes.size()) {
            overflow_ = true;
            return;
        }
        out_.bytes[size_++] = c;
    }
    void put(std::string_view s) noexcept {
        if (s.size() > out_.bytes.size() - size_) {
            overflow_ = true;
            return;
        }
        s.copy(out_.bytes.data() + size_, s.size());
        size_ += s.size();
    }
    // For a field before the target: ASCII-lowercased (when asked) and free of the separator.
    void put_field(std::string_view s, bool lowercase) noexcept {
        if (s.size() > out_.bytes.size() - size_) {
            overflow_ = true;
            return;
        }
        // One table load per byte and one test for both separators (0x1e and 0x1f differ only
        // in the low bit): every hit builds a key.
        char* out = out_.bytes.data() + size_;
        bool bad = false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            bad |= (c | 1u) == static_cast<unsigned char>(separator);
            out[i] = lowercase ? kLowercase[c] : static_cast<char>(c);
        }
        size_ += s.size();
        if (bad) malformed_ = true;
    }

    // For the target, which comes last: copied as is, free of the variant separator.
    void put_target(std::string_view s) noexcept {
        if (s.find(variant_separator) != std::string_view::npos) malformed_ = true;
        put(s);
    }

    Result<std::string_view> finish() noexcept {
        if (overflow_ || malformed_) {
            out_.size = 0;
            out_.hash = 0;
            return unexpected(overflow_ ? Errc::key_too_long : Errc::bad_request);
        }
        out_.size = size_;
        out_.hash = hash_key(out_.view());
        return out_.view();
    }

private:
    KeyBuffer& out_;
    std::size_t size_ = 0;
    bool overflow_ = false;
    bool malformed_ = false;
};

// Writes host without its default port (":80", or an empty one, RFC 3986 §6.2.3) and
// without a trailing dot, lowercased: the forms that name the same origin share a key.
void put_host(KeyWriter& w, std::string_view host) noexcept {
    std::string_view name = host;
    std::string_view port;
    bool has_port = false;
    std::size_t colon = std::string_view::npos;
    if (!host.empty() && host.front() == '[') {
        // IP literal: its colons are inside the brackets.
        std::size_t close = host.find(']');
        if (close != std::string_view::npos && close + 1 < host.size() && host[close + 1] == ':') {
            colon = close + 1;
        }
    } else if (std::size_t last = host.rfind(':'); last == host.find(':')) {
        colon = last;  // exactly one colon, or none (npos)
    }
    if (colon != std::string_view::npos) {
        name = host.substr(0, colon);
        port = host.substr(colon + 1);
        has_port = true;
    }
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);

    w.put_field(name, /*lowercase=*/true);
    if (has_port && !port.empty() && port != "80") {
        w.put(':');
        w.put_field(port, /*lowercase=*/false);
    }
}

// Path and query are kept as sent: decoding or reordering them could merge resources the
// origin tells apart. Only an empty path means "/" (RFC 9110 §4.2.3), as in
// "http://host" or "http://host?q".
void put_path_and_query(KeyWriter& w, std::string_view rest) noexcept {
    if (rest.empty() || rest.front() != '/') w.put('/');
    w.put_target(rest);
}

}  // namespace

Result<std::string_view> build_key(KeyBuffer& out, http::Method method, std::string_view host,
                                   std::string_view target) {
    KeyWriter w(out);
    // A HEAD is answered from the stored GET (RFC 9110 §9.3.2).
    if (method == http::Method::other) return unexpected(Errc::bad_request);
    w.put_field(http::name(method == http::Method::head ? http::Method::get : method),
                /*lowercase=*/false);
    w.put(separator);

    if (auto authority = http::absolute_form_authority(target)) {
        // Absolute-form: its authority overrides Host (RFC 9112 §3.2.2); a userinfo does
        // not name the resource.
        std::string_view rest = target.substr(std::string_view("http://").size());
        std::size_t authority_end = rest.find_first_of("/?#");
        if (authority_end == std::string_view::npos) authority_end = rest.size();
        put_host(w, *authority);
        w.put(separator);
        put_path_and_query(w, rest.substr(authority_end));
    } else {
        put_host(w, host);
        w.put(separator);
        w.put_target(target.empty() ? std::string_view("/") : target);
    }
    return w.finish();
}

std::uint64_t hash_key(std::string_view key) noexcept {
    return XXH3_64bits(key.data(), key.size());
}

}  // namespace cachet::cache
