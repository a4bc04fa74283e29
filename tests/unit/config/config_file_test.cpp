#include <doctest/doctest.h>

#include <filesystem>

#include "config/config_file.hpp"

using namespace cachet::config;

namespace {

std::string error_of(std::string_view json) {
    auto fields = parse_config_json(json, "cachet.json");
    return fields ? std::string("(no error)") : fields.error();
}

}  // namespace

TEST_CASE("a config file is an object of scalars, read as field, JSON type and text") {
    auto fields = parse_config_json(
        R"({"listen": "127.0.0.1:0", "workers": 4, "store_set_cookie": true, "x": 4.50,
            "y": null, "z": [1], "w": {"a": 1}, "esc": "a\"b\u0041"})",
        "cachet.json");
    REQUIRE(fields.has_value());
    REQUIRE(fields->size() == 8);
    CHECK((*fields)[0].name == "listen");
    CHECK((*fields)[0].type == JsonType::string);
    CHECK((*fields)[0].text == "127.0.0.1:0");
    CHECK((*fields)[1].type == JsonType::number);
    CHECK((*fields)[1].text == "4");
    CHECK((*fields)[2].type == JsonType::boolean);
    CHECK((*fields)[2].text == "true");
    CHECK((*fields)[3].text == "4.50");
    CHECK((*fields)[4].type == JsonType::null);
    CHECK((*fields)[5].type == JsonType::array);
    CHECK((*fields)[6].type == JsonType::object);
    CHECK((*fields)[7].text == "a\"bA");
    CHECK(parse_config_json("{}", "cachet.json").value().empty());
}

TEST_CASE("malformed JSON is an error naming the file, simdjson's reason and the line") {
    std::string error = error_of("{\"listen\": \"1:2\",\n \"workers\": 4,,\n}");
    CHECK(error.find("cachet.json: malformed JSON at line 2, column") == 0);
    CHECK(error.find("improper structure") != std::string::npos);

    CHECK(error_of(R"({"workers": 4x})").find("cachet.json: malformed JSON") == 0);
    CHECK(error_of(R"({"listen": "1:2")").find("cachet.json: malformed JSON") == 0);
    CHECK(error_of(R"({"a": tru})").find("cachet.json: malformed JSON at line 1") == 0);
    CHECK(error_of("").find("cachet.json: malformed JSON") == 0);
    CHECK(error_of(R"({"listen": "1:2"} x)").find("cachet.json: malformed JSON") == 0);
}

TEST_CASE("the top level must be an object, and each field appears once") {
    CHECK(error_of("[1, 2]").find("cachet.json: expected a JSON object of settings") == 0);
    CHECK(error_of(R"("256m")").find("cachet.json: expected a JSON object of settings") == 0);
    CHECK(error_of(R"({"workers": 1, "workers": 2})") ==
          "cachet.json: workers: given twice (each setting once)");
}

TEST_CASE("a missing or unreadable config file is an error naming it") {
    auto missing = read_config_file("/nonexistent/cachet.json");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error() ==
          "/nonexistent/cachet.json: cannot read the config file: No such file or directory");

    auto directory = read_config_file(std::filesystem::temp_directory_path().string());
    REQUIRE_FALSE(directory.has_value());
    CHECK(directory.error().find("cannot read the config file: Is a directory") !=
          std::string::npos);
}

TEST_CASE("json_quoted escapes quotes, backslashes and control characters") {
    CHECK(json_quoted("256m") == "\"256m\"");
    CHECK(json_quoted("a\"b\\c\nd\x01") == "\"a\\\"b\\\\c\\nd\\u0001\"");
}
