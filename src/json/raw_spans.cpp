#include "json/raw_spans.hpp"

namespace cachet::json {

namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// One past the closing quote of the string that starts at `begin` (a quote).
std::size_t string_end(std::string_view text, std::size_t begin) noexcept {
    for (std::size_t at = begin + 1; at < text.size(); ++at) {
        if (text[at] == '\\') {
            ++at;  // the escaped byte, which may be a quote
        } else if (text[at] == '"') {
            return at + 1;
        }
    }
    return text.size();
}

// One past the bracket that closes the array or object at `begin`. A loop with a counter,
// not recursion: the depth of the text costs no stack.
std::size_t container_end(std::string_view text, std::size_t begin) noexcept {
    std::size_t open = 0;
    for (std::size_t at = begin; at < text.size();) {
        const char c = text[at];
        if (c == '"') {
            at = string_end(text, at);
            continue;
        }
        if (c == '[' || c == '{') {
            ++open;
        } else if ((c == ']' || c == '}') && --open == 0) {
            return at + 1;
        }
        ++at;
    }
    return text.size();
}

}  // namespace

std::size_t skip_space(std::string_view text, std::size_t at) noexcept {
    while (at < text.size() && is_space(text[at])) ++at;
    return at;
}

std::size_t value_end(std::string_view text, std::size_t begin) noexcept {
    if (begin >= text.size()) return text.size();
    switch (text[begin]) {
    case '"': return string_end(text, begin);
    case '[':
    case '{': return container_end(text, begin);
    default: break;
    }
    // A number, true, false or null: up to the next delimiter.
    std::size_t at = begin;
    while (at < text.size() && !is_space(text[at]) && text[at] != ',' && text[at] != ']' &&
           text[at] != '}') {
        ++at;
    }
    return at;
}

Span document_value(std::string_view text) noexcept {
    const std::size_t begin = skip_space(text, 0);
    return Span{begin, value_end(text, begin)};
}

Span member_value(std::string_view text, Span object, std::size_t index) noexcept {
    Span found{object.end, object.end};
    std::size_t member = 0;
    for_each_member(text, object, [&](Span, Span value) {
        if (member++ != index) return true;
        found = value;
        return false;
    });
    return found;
}

}  // namespace cachet::json
