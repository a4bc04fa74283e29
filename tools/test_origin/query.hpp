#pragma once
// The query string of a test-origin request: the script of the response it asks for.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachet::tools {

// Percent-decoding; '+' is a space as in HTML forms. Malformed escapes are kept literally.
std::string url_decode(std::string_view text);

class Query {
public:
    explicit Query(std::string_view query);  // "a=1&b=x%20y": parameters in order

    std::optional<std::string> get(std::string_view name) const;  // the last occurrence
    std::vector<std::string> get_all(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }
    // nullopt when absent; `bad` set when present but not a decimal number.
    std::optional<std::uint64_t> get_number(std::string_view name, bool& bad) const;

private:
    std::vector<std::pair<std::string, std::string>> params_;  // decoded
};

}  // namespace cachet::tools
