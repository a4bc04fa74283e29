#include "config/dom_fields.hpp"

#include "config/config_file.hpp"
#include "config/units.hpp"

namespace cachet::config {

namespace dom = simdjson::dom;

std::string describe(dom::element value) {
    switch (value.type()) {
    case dom::element_type::STRING: return json_quoted(std::string_view(value.get_string()));
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "the number " + simdjson::minify(value);
    case dom::element_type::BOOL: return bool(value) ? "true" : "false";
    case dom::element_type::NULL_VALUE: return "null";
    case dom::element_type::ARRAY: return "an array";
    case dom::element_type::OBJECT: return "an object";
    }
    return {};
}

std::string expected(const std::string& where, std::string_view what, dom::element value) {
    return where + ": expected " + std::string(what) + ", got " + describe(value);
}

std::optional<Millis> duration_of(dom::element value) {
    if (value.type() == dom::element_type::STRING) {
        return parse_duration(std::string_view(value.get_string()));
    }
    if (value.type() == dom::element_type::INT64 || value.type() == dom::element_type::UINT64) {
        return parse_duration(simdjson::minify(value));
    }
    return std::nullopt;
}

std::string parse_field(dom::parser& parser, std::string_view json, std::string_view field,
                        dom::element& doc) {
    // parse() copies an unpadded view into the parser's own padded buffer.
    if (auto error = parser.parse(json.data(), json.size()).get(doc)) {
        return std::string(field) + ": malformed JSON: " + simdjson::error_message(error);
    }
    return {};
}

std::string unknown(const std::string& where, std::string_view key, std::string_view fields) {
    return where + "." + std::string(key) + ": unknown field (" + std::string(fields) + ")";
}

}  // namespace cachet::config
