#include "config/config_file.hpp"

#include <simdjson.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

namespace cachet::config {
namespace {

namespace od = simdjson::ondemand;

// " at line L, column C" for a position inside `json`, counted from 1.
std::string location(std::string_view json, const char* at) {
    // The document's first byte is where simdjson points when it cannot say better.
    if (at <= json.data() || at > json.data() + json.size()) return {};
    std::size_t line = 1, column = 1;
    for (const char* p = json.data(); p < at; ++p) {
        if (*p == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return " at line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string malformed(std::string_view file, simdjson::error_code error, std::string_view json,
                      od::document& doc) {
    std::string where;
    if (auto at = doc.current_location(); !at.error()) where = location(json, at.value_unsafe());
    return std::string(file) + ": malformed JSON" + where + ": " + simdjson::error_message(error);
}

}  // namespace

FileFields parse_config_json(std::string_view json, std::string_view file) {
    simdjson::padded_string padded(json);
    od::parser parser;
    od::document doc;
    if (auto error = parser.iterate(padded).get(doc)) {
        return tl::unexpected(std::string(file) +
                              ": malformed JSON: " + simdjson::error_message(error));
    }
    // The padded copy is what the parser points into: locations are computed against it.
    std::string_view text(padded.data(), padded.size());
    od::json_type top{};
    if (auto error = doc.type().get(top)) return tl::unexpected(malformed(file, error, text, doc));
    if (top != od::json_type::object) {
        return tl::unexpected(std::string(file) +
                              ": expected a JSON object of settings, e.g. {\"listen\": "
                              "\"127.0.0.1:8080\"}");
    }
    od::object object;
    if (auto error = doc.get_object().get(object)) {
        return tl::unexpected(malformed(file, error, text, doc));
    }
    std::vector<FileField> fields;
    std::set<std::string, std::less<>> seen;
    for (auto member : object) {
        od::field f;
        if (auto error = std::move(member).get(f)) {
            return tl::unexpected(malformed(file, error, text, doc));
        }
        FileField field;
        std::string_view key;
        if (auto error = f.unescaped_key().get(key)) {
            return tl::unexpected(malformed(file, error, text, doc));
        }
        field.name = std::string(key);
        if (!seen.insert(field.name).second) {
            return tl::unexpected(std::string(file) + ": " + field.name +
                                  ": given twice (each setting once)");
        }
        od::value value = f.value();
        od::json_type type{};
        if (auto error = value.type().get(type)) {
            return tl::unexpected(malformed(file, error, text, doc));
        }
        simdjson::error_code error = simdjson::SUCCESS;
        switch (type) {
        case od::json_type::string: {
            field.type = JsonType::string;
            std::string_view s;
            error = value.get_string().get(s);
            field.text = std::string(s);
            break;
        }
        case od::json_type::number: {
            field.type = JsonType::number;
            std::string_view raw = value.raw_json_token();
            while (!raw.empty() && std::strchr(" \t\r\n", raw.back())) raw.remove_suffix(1);
            field.text = std::string(raw);
            double ignored = 0;
            error = value.get_double().get(ignored);  // validates the number's syntax
            break;
        }
        case od::json_type::boolean: {
            field.type = JsonType::boolean;
            bool b = false;
            error = value.get_bool().get(b);
            field.text = b ? "true" : "false";
            break;
        }
        case od::json_type::null:
            field.type = JsonType::null;
            error = value.is_null().error();
            break;
        case od::json_type::array: {
            field.type = JsonType::array;
            od::array array;
            std::string_view raw;
            error = value.get_array().get(array);
            if (!error) error = array.raw_json().get(raw);
            field.json = std::string(raw);
            break;
        }
        case od::json_type::object: {
            field.type = JsonType::object;
            od::object inner;
            std::string_view raw;
            error = value.get_object().get(inner);
            if (!error) error = inner.raw_json().get(raw);
            field.json = std::string(raw);
            break;
        }
        }
        if (error) return tl::unexpected(malformed(file, error, text, doc));
        fields.push_back(std::move(field));
    }
    // Past the object, the document has a location only if something follows it.
    if (!doc.current_location().error()) {
        return tl::unexpected(malformed(file, simdjson::TRAILING_CONTENT, text, doc));
    }
    return fields;
}

FileFields read_config_file(const std::string& path) {
    // stdio, not iostreams: a directory or an I/O error is an errno, never an exception.
    auto cannot_read = [&] {
        return tl::unexpected(path + ": cannot read the config file: " + std::strerror(errno));
    };
    std::FILE* in = std::fopen(path.c_str(), "rb");
    if (!in) return cannot_read();
    std::string json;
    char chunk[4096];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, in)) > 0) json.append(chunk, n);
    bool failed = std::ferror(in) != 0;
    int read_errno = errno;
    std::fclose(in);
    if (failed) {
        errno = read_errno;
        return cannot_read();
    }
    return parse_config_json(json, path);
}

std::string describe(const FileField& field) {
    switch (field.type) {
    case JsonType::string: return json_quoted(field.text);
    case JsonType::number: return "the number " + field.text;
    case JsonType::boolean: return field.text;
    case JsonType::null: return "null";
    case JsonType::array: return "an array";
    case JsonType::object: return "an object";
    }
    return {};
}

std::string json_quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

}  // namespace cachet::config
