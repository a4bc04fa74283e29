#include "config/dom_fields.hpp"

#include "config/config_file.hpp"

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

std::string unknown(const std::string& where, std::string_view key, std::string_view fields) {
    return where + "." + std::string(key) + ": unknown field (" + std::string(fields) + ")";
}

}  // namespace cachet::config
