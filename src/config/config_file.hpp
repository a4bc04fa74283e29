#pragma once
// The config file: one JSON object whose fields are settings by their file names
// (setting_names.hpp), each a scalar. This file knows JSON, not settings: it turns the object
// into (field, JSON type, text) triples, and flags.cpp checks each against the table of
// settings. Errors name the file, and for malformed JSON the line and column when known.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace cachet::config {

enum class JsonType : std::uint8_t { string, number, boolean, null, array, object };

struct FileField {
    std::string name;
    JsonType type = JsonType::null;
    // A string unescaped, a number as written ("4", "4.5"), a boolean as "true" or "false";
    // empty for null, arrays and objects.
    std::string text;
    std::string json;  // an array or an object as written (for `routes`); empty otherwise
};

using FileFields = tl::expected<std::vector<FileField>, std::string>;

// Reads and parses `path`; a missing or unreadable file is an error naming it.
FileFields read_config_file(const std::string& path);
// `file` names the source in error messages.
FileFields parse_config_json(std::string_view json, std::string_view file);

// "a string", "the number 4", "true", "null", "an array", "an object": what a message says
// it got.
std::string describe(const FileField& field);
// `text` as a JSON string literal, quotes included.
std::string json_quoted(std::string_view text);

}  // namespace cachet::config
