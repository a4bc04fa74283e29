#pragma once
// Reading a stored response head: the text an Entry keeps, a status line and then header
// lines, each ending CRLF, without the final empty line (see cache::Entry::head()).
// Everything here borrows from the head text and allocates nothing.
//
// The head is our own output, but it was built from an origin's bytes, so reading it is
// still defensive: a bare LF ends a line as well as CRLF (RFC 9112 §2.2 lets a recipient
// accept it), a last line without its CRLF still counts, and a line without a colon or
// with an empty name (including an obs-fold continuation, RFC 9112 §5.2) is skipped rather
// than misread as a field.
#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>
#include <type_traits>

#include "http/header_view.hpp"

namespace cachet::http {

// A forward iterator over the header fields of a head, skipping its status line. Each
// value has its leading and trailing whitespace removed (RFC 9110 §5.5). Dereferencing
// yields a HeaderView by value (two views into the head, cheap to copy): the iterator
// holds the field it points at, so a reference into it would not outlive it, which a
// C++17 forward iterator requires; hence its C++17 category is input.
class HeadFieldIterator {
public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = HeaderView;
    using difference_type = std::ptrdiff_t;
    using pointer = const HeaderView*;
    using reference = HeaderView;

    HeadFieldIterator() noexcept = default;  // the end iterator
    // `rest` starts at the first header line (after the status line).
    explicit HeadFieldIterator(std::string_view rest) noexcept : rest_(rest) { advance(); }

    HeaderView operator*() const noexcept { return current_; }
    pointer operator->() const noexcept { return &current_; }  // valid while this iterator is
    HeadFieldIterator& operator++() noexcept {
        advance();
        return *this;
    }
    HeadFieldIterator operator++(int) noexcept {
        HeadFieldIterator before = *this;
        advance();
        return before;
    }
    // Iterators over the same head compare by position; every end iterator is equal.
    friend bool operator==(const HeadFieldIterator& a, const HeadFieldIterator& b) noexcept {
        return a.at_end_ == b.at_end_ && (a.at_end_ || a.rest_.data() == b.rest_.data());
    }

private:
    void advance() noexcept;  // head_fields.cpp

    std::string_view rest_;  // the lines not read yet
    HeaderView current_;
    bool at_end_ = true;
};

// The fields of a head as a range: `for (const HeaderView& field : HeadFields(head))`.
class HeadFields {
public:
    explicit HeadFields(std::string_view head) noexcept;
    HeadFieldIterator begin() const noexcept { return HeadFieldIterator(after_status_line_); }
    HeadFieldIterator end() const noexcept { return {}; }

private:
    std::string_view after_status_line_;
};

// Calls `visit(HeaderView)` for each field in order; stops early when `visit` returns
// false (a visitor returning void sees every field).
template <class Visit>
void for_each_field(std::string_view head, Visit&& visit) {
    for (const HeaderView& field : HeadFields(head)) {
        if constexpr (std::is_same_v<decltype(visit(field)), bool>) {
            if (!visit(field)) return;
        } else {
            visit(field);
        }
    }
}

// The value of the first field named `name` (case-insensitive, RFC 9110 §5.1), trimmed;
// nullopt when there is none. A present field with an empty value gives "".
std::optional<std::string_view> find_field(std::string_view head, std::string_view name) noexcept;

// The status code of the head's status line (RFC 9112 §4: HTTP-version SP 3DIGIT, then SP
// and a reason that may be empty); nullopt when the line does not have that shape.
std::optional<int> status_of(std::string_view head) noexcept;

}  // namespace cachet::http
