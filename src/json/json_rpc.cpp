#include "json/json_rpc.hpp"

#include <optional>

#include "json/canonical.hpp"
#include "json/canonical_scalars.hpp"
#include "json/raw_spans.hpp"

namespace cachet::json {

namespace dom = simdjson::dom;

namespace {

using Checked = tl::expected<void, JsonError>;

bool is_number(dom::element_type type) noexcept {
    return type == dom::element_type::INT64 || type == dom::element_type::UINT64 ||
           type == dom::element_type::DOUBLE;
}

// The members a call is made of, found in one pass over the object.
struct CallMembers {
    bool has_version = false;
    bool has_method = false;
    bool has_params = false;
    bool has_id = false;
    dom::element params;
    dom::element id;
    std::size_t id_position = 0;  // among the object's members: where its text is
};

// Sets `seen`, or fails when it was already set: a repeated member is ambiguous.
Checked first_time(bool& seen) {
    if (seen) return tl::unexpected(JsonError::rpc_duplicate_member);
    seen = true;
    return {};
}

Checked check_member(std::string_view key, dom::element value, std::size_t position,
                     CallMembers& members, RpcCall& call) {
    const auto type = value.type();
    if (key == "jsonrpc") {
        if (auto first = first_time(members.has_version); !first) return first;
        if (type != dom::element_type::STRING || value.get_string().value_unsafe() != "2.0") {
            return tl::unexpected(JsonError::rpc_version);
        }
    } else if (key == "method") {
        if (auto first = first_time(members.has_method); !first) return first;
        if (type != dom::element_type::STRING) return tl::unexpected(JsonError::rpc_method);
        call.method.assign(value.get_string().value_unsafe());
    } else if (key == "params") {
        if (auto first = first_time(members.has_params); !first) return first;
        if (type != dom::element_type::ARRAY && type != dom::element_type::OBJECT) {
            return tl::unexpected(JsonError::rpc_params);
        }
        members.params = value;
    } else if (key == "id") {
        if (auto first = first_time(members.has_id); !first) return first;
        if (type != dom::element_type::STRING && type != dom::element_type::NULL_VALUE &&
            !is_number(type)) {
            return tl::unexpected(JsonError::rpc_id);
        }
        members.id = value;
        members.id_position = position;
    }
    return {};
}

// One call: `element` is its DOM value, `text` its bytes in `body`.
Checked read_call(dom::element element, std::string_view body, Span text, PointerCursor cursor,
                  BodyParser& parser, RpcCall& call) {
    if (element.type() != dom::element_type::OBJECT) {
        return tl::unexpected(JsonError::rpc_not_a_call);
    }
    CallMembers members;
    std::size_t position = 0;
    const dom::object object = element.get_object().value_unsafe();
    for (dom::key_value_pair member : object) {
        auto checked = check_member(member.key, member.value, position++, members, call);
        if (!checked) return checked;
    }
    if (!members.has_version) return tl::unexpected(JsonError::rpc_version);
    if (!members.has_method) return tl::unexpected(JsonError::rpc_method);
    call.text = text.of(body);
    if (members.has_params) {
        const PointerCursor at = cursor.member("params");
        if (!at.names_this()) {
            if (auto written = append_canonical(members.params, at, call.params, parser);
                !written) {
                return written;
            }
        }
    }
    if (members.has_id) {
        call.id = member_value(body, text, members.id_position).of(body);
        if (auto written = append_canonical(members.id, PointerCursor(), call.id_key, parser);
            !written) {
            return written;
        }
    }
    return {};
}

tl::expected<RpcRequest, JsonError> read_batch(dom::array array, std::string_view body, Span text,
                                               PointerCursor cursor, BodyParser& parser) {
    RpcRequest request;
    request.batch = true;
    request.calls.reserve(array.size());
    std::optional<JsonError> failure;
    auto element = array.begin();
    // The DOM gives the values, the text their bytes: both in the body's order.
    for_each_element(body, text, [&](Span call_text) {
        if (element == array.end()) {
            failure = JsonError::invalid;
            return false;
        }
        auto call =
            read_call(*element, body, call_text, cursor, parser, request.calls.emplace_back());
        ++element;
        if (!call) failure = call.error();
        return !failure;
    });
    if (failure) return tl::unexpected(*failure);
    if (request.calls.empty()) return tl::unexpected(JsonError::rpc_empty_batch);
    if (element != array.end()) return tl::unexpected(JsonError::invalid);
    return request;
}

}  // namespace

tl::expected<RpcRequest, JsonError> parse_rpc(std::string_view body, BodyParser& parser,
                                              std::span<const JsonPointer> ignored) {
    if (ignored.size() > kMaxPointers) return tl::unexpected(JsonError::too_many_pointers);
    auto root = parser.parse(body);
    if (!root) return tl::unexpected(root.error());
    const PointerCursor cursor(ignored);
    const Span text = document_value(body);
    if (root->type() == dom::element_type::ARRAY) {
        return read_batch(root->get_array().value_unsafe(), body, text, cursor, parser);
    }
    RpcRequest request;
    auto checked = read_call(*root, body, text, cursor, parser, request.calls.emplace_back());
    if (!checked) return tl::unexpected(checked.error());
    return request;
}

void append_call_key(const RpcCall& call, std::string& out) {
    write_canonical_string(call.method, out);
    out += call.params;
}

}  // namespace cachet::json
