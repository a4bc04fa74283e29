#include "json/rpc_response.hpp"

#include <optional>

#include "json/canonical.hpp"
#include "json/raw_spans.hpp"

namespace cachet::json {

namespace dom = simdjson::dom;

namespace {

// What a response object is made of, found in one pass over its members.
struct ResponseMembers {
    dom::element id;
    std::size_t id_position = 0;  // among the object's members: where its text is
    bool error = false;
};

bool is_id(dom::element_type type) noexcept {
    switch (type) {
    case dom::element_type::STRING:
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
    case dom::element_type::NULL_VALUE: return true;
    default: return false;
    }
}

tl::expected<ResponseMembers, JsonError> check_response(dom::element element) {
    const auto not_a_response = tl::unexpected(JsonError::rpc_not_a_response);
    if (element.type() != dom::element_type::OBJECT) return not_a_response;
    ResponseMembers found;
    int versions = 0, ids = 0, results = 0, errors = 0;
    std::size_t position = 0;
    const dom::object object = element.get_object().value_unsafe();
    for (dom::key_value_pair member : object) {
        if (member.key == "jsonrpc") {
            ++versions;
            std::string_view version;
            if (member.value.get_string().get(version) != simdjson::SUCCESS || version != "2.0") {
                return not_a_response;
            }
        } else if (member.key == "id") {
            ++ids;
            if (!is_id(member.value.type())) return not_a_response;
            found.id = member.value;
            found.id_position = position;
        } else if (member.key == "result") {
            ++results;
        } else if (member.key == "error") {
            ++errors;
        }
        ++position;
    }
    if (versions != 1 || ids != 1 || results + errors != 1) return not_a_response;
    found.error = errors == 1;
    return found;
}

// The id's span inside `object` (a response's own bytes, which begin at text 0).
IdSpan id_span(std::string_view object, std::size_t id_position) {
    const Span value = member_value(object, document_value(object), id_position);
    return IdSpan{value.begin, value.end - value.begin};
}

}  // namespace

tl::expected<IdSpan, JsonError> locate_response_id(std::string_view response, BodyParser& parser) {
    auto root = parser.parse(response);
    if (!root) return tl::unexpected(root.error());
    auto members = check_response(*root);
    if (!members) return tl::unexpected(members.error());
    return id_span(response, members->id_position);
}

void splice_id(std::string_view response, IdSpan id, std::string_view raw_id, std::string& out) {
    out.clear();
    out.reserve(response.size() - id.length + raw_id.size());
    out.append(response.substr(0, id.offset));
    out.append(raw_id);
    out.append(response.substr(id.offset + id.length));
}

tl::expected<void, JsonError> with_id(std::string_view response, std::string_view raw_id,
                                      std::string& out, BodyParser& parser) {
    out.clear();
    if (raw_id.empty()) return tl::unexpected(JsonError::rpc_id);
    auto id = locate_response_id(response, parser);
    if (!id) return tl::unexpected(id.error());
    splice_id(response, *id, raw_id, out);
    return {};
}

tl::expected<std::vector<RpcAnswer>, JsonError> split_batch_response(std::string_view body,
                                                                     BodyParser& parser) {
    auto root = parser.parse(body);
    if (!root) return tl::unexpected(root.error());
    if (root->type() != dom::element_type::ARRAY) {
        return tl::unexpected(JsonError::rpc_not_a_response);
    }
    const dom::array array = root->get_array().value_unsafe();
    std::vector<RpcAnswer> answers;
    answers.reserve(array.size());
    std::optional<JsonError> failure;
    auto element = array.begin();
    // The DOM gives the values, the text their bytes: both in the body's order.
    for_each_element(body, document_value(body), [&](Span text) {
        if (element == array.end()) {
            failure = JsonError::invalid;
            return false;
        }
        auto members = check_response(*element);
        ++element;
        if (!members) {
            failure = members.error();
            return false;
        }
        RpcAnswer& answer = answers.emplace_back();
        answer.text = text.of(body);
        answer.id = id_span(answer.text, members->id_position);
        answer.error = members->error;
        auto written = append_canonical(members->id, PointerCursor(), answer.id_key, parser);
        if (!written) failure = written.error();
        return !failure;
    });
    if (failure) return tl::unexpected(*failure);
    if (answers.empty()) return tl::unexpected(JsonError::rpc_not_a_response);
    if (element != array.end()) return tl::unexpected(JsonError::invalid);
    return answers;
}

}  // namespace cachet::json
