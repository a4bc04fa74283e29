#include "json/json_pointer.hpp"

#include <charconv>

#include "json/canonical_scalars.hpp"

namespace cachet::json {

namespace {

// The pointer as a JSON string: control bytes escaped, so the message stays on one line.
std::string failure(std::string_view text, std::string_view reason) {
    std::string message = "json pointer ";
    write_canonical_string(text, message);
    message += ": ";
    message += reason;
    return message;
}

}  // namespace

tl::expected<JsonPointer, std::string> parse_json_pointer(std::string_view text) {
    JsonPointer pointer{std::string(text), {}};
    if (text.empty()) return pointer;
    if (text.front() != '/') {
        std::string reason = "must start with '/' (like ";
        write_canonical_string("/" + std::string(text), reason);
        return tl::unexpected(failure(text, reason + ")"));
    }
    // Each '/' starts a token; "/" alone is one empty token (the member named "").
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('/', at + 1), text.size());
        std::string token;
        for (std::size_t i = at + 1; i < end; ++i) {
            if (text[i] != '~') {
                token += text[i];
                continue;
            }
            const char next = i + 1 < end ? text[i + 1] : '\0';
            if (next != '0' && next != '1') {
                return tl::unexpected(
                    failure(text, "'~' must be followed by 0 (for '~') or 1 (for '/')"));
            }
            token += next == '0' ? '~' : '/';
            ++i;
        }
        pointer.tokens.push_back(std::move(token));
        at = end;
    }
    return pointer;
}

bool names_index(std::string_view token, std::size_t index) noexcept {
    if (token.empty() || (token.size() > 1 && token.front() == '0')) return false;
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    return error == std::errc() && end == token.data() + token.size() && value == index;
}

}  // namespace cachet::json
