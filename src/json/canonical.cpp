#include "json/canonical.hpp"

#include <algorithm>

#include "json/canonical_scalars.hpp"

namespace cachet::json {

namespace dom = simdjson::dom;

namespace {

using Written = tl::expected<void, JsonError>;

// The members an object parks on the parser's stack, removed however the object ends.
class ParkedMembers {
public:
    explicit ParkedMembers(std::vector<PendingMember>& stack)
        : stack_(stack), base_(stack.size()) {}
    ~ParkedMembers() { stack_.erase(stack_.begin() + base_, stack_.end()); }
    ParkedMembers(const ParkedMembers&) = delete;
    ParkedMembers& operator=(const ParkedMembers&) = delete;

    std::size_t begin() const noexcept { return base_; }
    std::size_t end() const noexcept { return stack_.size(); }
    void park(PendingMember member) { stack_.push_back(member); }
    void sort() {
        std::sort(stack_.begin() + base_, stack_.end(),
                  [](const PendingMember& a, const PendingMember& b) {
                      // string_view compares bytes as unsigned char: UTF-8 code point order.
                      if (a.key != b.key) return a.key < b.key;
                      return a.position < b.position;
                  });
    }
    // A copy: writing a member's value parks that value's own members, which may move
    // the stack's storage.
    PendingMember operator[](std::size_t i) const { return stack_[i]; }

private:
    std::vector<PendingMember>& stack_;
    std::size_t base_;
};

class CanonicalWriter {
public:
    CanonicalWriter(std::string& out, BodyParser& parser) : out_(out), parser_(parser) {}

    // depth: containers around `value`. The parser refuses most documents past max_depth
    // already; this check makes the limit exact (an empty innermost container too) and
    // bounds the recursion for an element of any parser.
    Written value(dom::element value, PointerCursor cursor, std::size_t depth) {
        const auto type = value.type();
        const bool container =
            type == dom::element_type::ARRAY || type == dom::element_type::OBJECT;
        if (container && depth >= parser_.limits().max_depth) {
            return tl::unexpected(JsonError::too_deep);
        }
        switch (type) {
        case dom::element_type::ARRAY:
            return array(value.get_array().value_unsafe(), cursor, depth);
        case dom::element_type::OBJECT:
            return object(value.get_object().value_unsafe(), cursor, depth);
        case dom::element_type::STRING:
            write_canonical_string(value.get_string().value_unsafe(), out_);
            return {};
        case dom::element_type::INT64:
            write_canonical_number(value.get_int64().value_unsafe(), out_);
            return {};
        case dom::element_type::UINT64:
            write_canonical_number(value.get_uint64().value_unsafe(), out_);
            return {};
        case dom::element_type::DOUBLE:
            write_canonical_number(value.get_double().value_unsafe(), out_);
            return {};
        case dom::element_type::BOOL:
            out_ += value.get_bool().value_unsafe() ? "true" : "false";
            return {};
        case dom::element_type::NULL_VALUE: out_ += "null"; return {};
        }
        return tl::unexpected(JsonError::invalid);
    }

private:
    Written array(dom::array array, PointerCursor cursor, std::size_t depth) {
        out_ += '[';
        std::size_t index = 0;
        for (dom::element element : array) {
            if (index > 0) out_ += ',';
            const PointerCursor at = cursor.element(index++);
            if (at.names_this()) {
                out_ += "null";  // keeps the indices of the elements after it
                continue;
            }
            if (auto written = value(element, at, depth + 1); !written) return written;
        }
        out_ += ']';
        return {};
    }

    Written object(dom::object object, PointerCursor cursor, std::size_t depth) {
        ParkedMembers members(parser_.pending_members());
        std::uint32_t position = 0;
        for (dom::key_value_pair member : object) {
            const PointerCursor at = cursor.member(member.key);
            if (!at.names_this()) members.park({member.key, member.value, position, at});
            ++position;
        }
        members.sort();
        out_ += '{';
        for (std::size_t i = members.begin(); i < members.end(); ++i) {
            const PendingMember member = members[i];
            if (i > members.begin()) out_ += ',';
            write_canonical_string(member.key, out_);
            out_ += ':';
            if (auto written = value(member.value, member.cursor, depth + 1); !written) {
                return written;
            }
        }
        out_ += '}';
        return {};
    }

    std::string& out_;
    BodyParser& parser_;
};

}  // namespace

Written canonical_json(std::string_view body, std::span<const JsonPointer> ignored,
                       std::string& out, BodyParser& parser) {
    out.clear();
    if (ignored.size() > kMaxPointers) return tl::unexpected(JsonError::too_many_pointers);
    auto root = parser.parse(body);
    if (!root) return tl::unexpected(root.error());
    const PointerCursor cursor(ignored);
    if (cursor.names_this()) return {};  // "": the body, valid JSON, does not count
    auto written = append_canonical(*root, cursor, out, parser);
    if (!written) out.clear();
    return written;
}

Written append_canonical(dom::element value, PointerCursor cursor, std::string& out,
                         BodyParser& parser) {
    return CanonicalWriter(out, parser).value(value, cursor, 0);
}

}  // namespace cachet::json
