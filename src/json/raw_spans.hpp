#pragma once
// Where values lie in the bytes of a JSON text that simdjson has already accepted: the
// top-level value, an array's elements, an object's members, as byte ranges. JSON-RPC uses
// them to keep the bytes a client or origin sent (a call's text, an id as written) and to
// splice an id in without writing the rest again. The DOM gives values but not their
// place in the text; these give the place, in the same order as the DOM's iteration.
//
// The text must be valid JSON (the caller parsed it first): on other input the results
// are meaningless, but every loop stays within the text and ends.
#include <cstddef>
#include <string_view>

namespace cachet::json {

// Bytes [begin, end) of a text.
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string_view of(std::string_view text) const noexcept {
        return text.substr(begin, end - begin);
    }
};

// The first byte at or after `at` that is not JSON whitespace (or text.size()).
std::size_t skip_space(std::string_view text, std::size_t at) noexcept;

// One past the last byte of the value that starts at `begin`.
std::size_t value_end(std::string_view text, std::size_t begin) noexcept;

// The whole text's value, without the whitespace around it.
Span document_value(std::string_view text) noexcept;

// Calls on_element(Span) for each element of the array at `array`, in order, until it
// returns false.
template <class OnElement>
void for_each_element(std::string_view text, Span array, OnElement&& on_element) {
    std::size_t at = skip_space(text, array.begin + 1);
    while (at < array.end && text[at] != ']') {
        const std::size_t end = value_end(text, at);
        if (end == at) return;  // not a value: only in text simdjson would refuse
        if (!on_element(Span{at, end})) return;
        at = skip_space(text, end);
        if (at < array.end && text[at] == ',') at = skip_space(text, at + 1);
    }
}

// Calls on_member(Span key, Span value) for each member of the object at `object`, in
// order, until it returns false. The key's span includes its quotes (the key as written,
// escapes and all).
template <class OnMember>
void for_each_member(std::string_view text, Span object, OnMember&& on_member) {
    std::size_t at = skip_space(text, object.begin + 1);
    while (at < object.end && text[at] == '"') {
        const Span key{at, value_end(text, at)};
        std::size_t value = skip_space(text, key.end);
        if (value < object.end && text[value] == ':') value = skip_space(text, value + 1);
        const std::size_t end = value_end(text, value);
        if (end == value) return;  // not a value: only in text simdjson would refuse
        if (!on_member(key, Span{value, end})) return;
        at = skip_space(text, end);
        if (at < object.end && text[at] == ',') at = skip_space(text, at + 1);
    }
}

// The value of the object's member number `index` (from 0, in the text's order, which is
// the DOM's), or an empty span at object.end when it has fewer members.
Span member_value(std::string_view text, Span object, std::size_t index) noexcept;

}  // namespace cachet::json
