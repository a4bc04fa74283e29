#include "http/head_fields.hpp"
#include "http/tokens.hpp"

namespace cachet::http {
namespace {

// Splits off the first line of `text`: the line without its LF or CRLF.
std::string_view take_line(std::string_view& text) noexcept {
    const std::size_t lf = text.find('\n');
    std::string_view line = text.substr(0, lf);
    text.remove_prefix(lf == std::string_view::npos ? text.size() : lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// RFC 9110 §5.1: a field name is a token; whitespace before the colon is not allowed
// (RFC 9112 §5.1), so a name containing it is not a field we can trust.
bool plausible_name(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (const char c : name) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return false;
    }
    return true;
}

}  // namespace

void HeadFieldIterator::advance() noexcept {
    while (!rest_.empty()) {
        const std::string_view line = take_line(rest_);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view name = line.substr(0, colon);
        if (!plausible_name(name)) continue;
        current_ = HeaderView{name, trim_ows(line.substr(colon + 1))};
        at_end_ = false;
        return;
    }
    current_ = {};
    at_end_ = true;
}

HeadFields::HeadFields(std::string_view head) noexcept : after_status_line_(head) {
    take_line(after_status_line_);
}

std::optional<std::string_view> find_field(std::string_view head, std::string_view name) noexcept {
    for (const HeaderView& field : HeadFields(head)) {
        if (iequals(field.name, name)) return field.value;
    }
    return std::nullopt;
}

std::optional<int> status_of(std::string_view head) noexcept {
    const std::string_view line = take_line(head);
    // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), then SP 3DIGIT.
    constexpr std::string_view prefix = "HTTP/";
    if (line.size() < 12 || line.substr(0, prefix.size()) != prefix) return std::nullopt;
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(line[5]) || line[6] != '.' || !digit(line[7]) || line[8] != ' ') return std::nullopt;
    int status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (!digit(line[i])) return std::nullopt;
        status = status * 10 + (line[i] - '0');
    }
    if (line.size() > 12 && line[12] != ' ') return std::nullopt;
    return status;
}

}  // namespace cachet::http
