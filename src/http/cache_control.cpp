// Cache-Control parsing (RFC 9111 §5.2).
//
//   Cache-Control   = #cache-directive
//   cache-directive = token [ "=" ( token / quoted-string ) ]
//
// The bytes come from clients and origins, so the parser never fails and never reads past
// the line: what it cannot read is skipped up to the next comma outside a quoted string.
// Choices the RFC leaves to the cache, made toward the safe side:
// - Duplicates (RFC 9111 §4.2.1 allows "the first occurrence"): for a directive with a
//   value, the first occurrence wins, across lines too; boolean directives OR together.
// - An invalid delta-seconds value (RFC 9111 §4.2.1: "consider responses that have invalid
//   freshness information ... to be stale") takes the most restrictive meaning:
//   max-age, s-maxage, max-stale, stale-while-revalidate, stale-if-error -> 0;
//   min-fresh -> 2^31 (no stored response is ever fresh enough).
// - A quoted delta-seconds (`max-age="60"`) is accepted: senders SHOULD NOT use it
//   (RFC 9111 §5.2) but it is unambiguous.
// - Whitespace around "=" is tolerated although the grammar has none.
// - `no-cache` / `private` with a field-name list set `*_has_fields`, but an unqualified
//   occurrence anywhere wins, because it is the more restrictive meaning. An empty or
//   unreadable list counts as unqualified for the same reason.
#include "http/cache_control.hpp"
#include "http/tokens.hpp"

#include <cstddef>

#include "http/header_view.hpp"

namespace cachet::http {
namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A directive's argument as sent: `text` is between the quotes when quoted, with any
// backslash escapes still in place.
struct Argument {
    std::string_view text;
    bool present = false;  // an "=" was seen
    bool quoted = false;
    bool well_formed = true;  // false: unterminated quote, or junk after the directive
};

struct Directive {
    std::string_view name;
    Argument argument;
};

// Walks one field line directive by directive.
class DirectiveReader {
public:
    explicit DirectiveReader(std::string_view line) noexcept : line_(line) {}

    // Fills `out` with the next directive; false at the end of the line.
    bool next(Directive& out) noexcept {
        while (pos_ < line_.size()) {
            while (pos_ < line_.size() && (is_ows(line_[pos_]) || line_[pos_] == ',')) ++pos_;
            if (pos_ == line_.size()) return false;
            out = Directive{read_token(), Argument{}};
            if (out.name.empty()) {  // e.g. `=5` or `"x"`: nothing to name, skip the member
                skip_member();
                continue;
            }
            skip_ows();
            if (peek('=')) {
                ++pos_;
                skip_ows();
                out.argument = read_argument();
                skip_ows();
            }
            if (pos_ < line_.size() && !peek(',')) {
                out.argument.well_formed = false;
                skip_member();
            }
            return true;
        }
        return false;
    }

private:
    bool peek(char c) const noexcept { return pos_ < line_.size() && line_[pos_] == c; }

    void skip_ows() noexcept {
        while (pos_ < line_.size() && is_ows(line_[pos_])) ++pos_;
    }

    std::string_view read_token() noexcept {
        const std::size_t start = pos_;
        while (pos_ < line_.size() && is_tchar(line_[pos_])) ++pos_;
        return line_.substr(start, pos_ - start);
    }

    Argument read_argument() noexcept {
        Argument arg;
        arg.present = true;
        if (!peek('"')) {
            arg.text = read_token();
            return arg;
        }
        arg.quoted = true;
        arg.well_formed = skip_quoted(arg.text);
        return arg;
    }

    // At an opening quote: moves past the closing one and sets `contents` to what lies
    // between. False when the line ends first (contents then run to the end).
    bool skip_quoted(std::string_view& contents) noexcept {
        const std::size_t start = ++pos_;
        while (pos_ < line_.size()) {
            const char c = line_[pos_];
            if (c == '"') {
                contents = line_.substr(start, pos_ - start);
                ++pos_;
                return true;
            }
            pos_ += (c == '\\') ? 2 : 1;
        }
        pos_ = line_.size();
        contents = line_.substr(start);
        return false;
    }

    // Skips to the next comma that is not inside a quoted string, so that a directive
    // hidden in junk (`x "a, max-age=9"`) is never read.
    void skip_member() noexcept {
        std::string_view ignored;
        while (pos_ < line_.size() && !peek(',')) {
            if (peek('"')) {
                skip_quoted(ignored);
            } else {
                ++pos_;
            }
        }
    }

    std::string_view line_;
    std::size_t pos_ = 0;
};

// delta-seconds = 1*DIGIT (RFC 9111 §1.2.2), saturating at 2^31; nullopt when invalid.
std::optional<Seconds> delta_seconds(const Argument& arg) noexcept {
    if (!arg.present || !arg.well_formed || arg.text.empty()) return std::nullopt;
    Seconds value = 0;
    for (std::size_t i = 0; i < arg.text.size(); ++i) {
        char c = arg.text[i];
        if (arg.quoted && c == '\\') {
            if (++i == arg.text.size()) return std::nullopt;
            c = arg.text[i];
        }
        if (!is_digit(c)) return std::nullopt;
        value = value * 10 + (c - '0');  // value <= 2^31 here, so no overflow
        if (value > delta_seconds_cap) value = delta_seconds_cap;
    }
    return value;
}

// First occurrence wins; an invalid value takes `if_invalid`.
void set_delta(std::optional<Seconds>& field, const Argument& arg, Seconds if_invalid) noexcept {
    if (field) return;
    field = delta_seconds(arg).value_or(if_invalid);
}

// True when the argument names at least one field (`no-cache="Set-Cookie"`).
bool names_fields(const Argument& arg) noexcept {
    if (!arg.present || !arg.well_formed) return false;
    for (const char c : arg.text) {
        if (is_tchar(c)) return true;
    }
    return false;
}

// `no-cache` and `private` (RFC 9111 §5.2.2.4, §5.2.2.7). The qualified form only
// narrows the directive to some fields, so an unqualified occurrence anywhere wins.
void set_qualifiable(bool& flag, bool& has_fields, const Argument& arg) noexcept {
    if (!names_fields(arg)) {
        flag = true;
        has_fields = false;
    } else if (!flag) {
        flag = true;
        has_fields = true;
    }
}

void apply(CacheControl& cc, const Directive& d) noexcept {
    const std::string_view n = d.name;
    const Argument& a = d.argument;
    if (iequals(n, "max-age")) {
        set_delta(cc.max_age, a, 0);
    } else if (iequals(n, "s-maxage")) {
        set_delta(cc.s_maxage, a, 0);
    } else if (iequals(n, "max-stale")) {
        // RFC 9111 §5.2.1.2: without a value the client accepts any staleness. max_stale
        // then holds the cap too, so a reader of max_stale alone sees the same meaning.
        if (cc.max_stale) return;
        if (!a.present && a.well_formed) {
            cc.max_stale_any = true;
            cc.max_stale = delta_seconds_cap;
        } else {
            set_delta(cc.max_stale, a, 0);
        }
    } else if (iequals(n, "min-fresh")) {
        set_delta(cc.min_fresh, a, delta_seconds_cap);
    } else if (iequals(n, "stale-while-revalidate")) {
        set_delta(cc.stale_while_revalidate, a, 0);
    } else if (iequals(n, "stale-if-error")) {
        set_delta(cc.stale_if_error, a, 0);
    } else if (iequals(n, "no-cache")) {
        set_qualifiable(cc.no_cache, cc.no_cache_has_fields, a);
    } else if (iequals(n, "private")) {
        set_qualifiable(cc.is_private, cc.private_has_fields, a);
    } else if (iequals(n, "no-store")) {
        cc.no_store = true;
    } else if (iequals(n, "no-transform")) {
        cc.no_transform = true;
    } else if (iequals(n, "must-revalidate")) {
        cc.must_revalidate = true;
    } else if (iequals(n, "proxy-revalidate")) {
        cc.proxy_revalidate = true;
    } else if (iequals(n, "must-understand")) {
        cc.must_understand = true;
    } else if (iequals(n, "public")) {
        cc.is_public = true;
    } else if (iequals(n, "immutable")) {
        cc.immutable = true;
    } else if (iequals(n, "only-if-cached")) {
        cc.only_if_cached = true;
    }
    // Anything else is an extension this cache does not implement: ignored (RFC 9111 §5.2.3).
}

}  // namespace

void CacheControl::parse_line(std::string_view line) noexcept {
    present = true;
    DirectiveReader reader(line);
    Directive directive;
    while (reader.next(directive)) apply(*this, directive);
}

}  // namespace cachet::http
