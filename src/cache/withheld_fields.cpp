#include "cache/withheld_fields.hpp"

#include "http/head_fields.hpp"
#include "http/header_view.hpp"
#include "http/tokens.hpp"

namespace cachet::cache {

namespace {

using http::iequals;
using http::is_ows;
using http::trim_ows;

// Calls on_argument(directive name, argument) for each directive with an argument.
template <class OnArgument>
void for_each_argument(std::string_view cache_control, OnArgument on_argument) {
    std::string_view rest = cache_control;
    while (!rest.empty()) {
        while (!rest.empty() && (is_ows(rest.front()) || rest.front() == ','))
            rest.remove_prefix(1);
        const std::size_t end = rest.find_first_of(",=");
        const std::string_view name = trim_ows(rest.substr(0, end));
        if (end == std::string_view::npos) return;
        rest.remove_prefix(end);
        if (rest.front() == ',') continue;
        rest.remove_prefix(1);  // '='
        std::string_view argument;
        if (!rest.empty() && rest.front() == '"') {
            const std::size_t close = rest.find('"', 1);
            argument = rest.substr(1, close == std::string_view::npos ? rest.size() : close - 1);
            rest.remove_prefix(close == std::string_view::npos ? rest.size() : close + 1);
        } else {
            const std::size_t comma = rest.find(',');
            argument = rest.substr(0, comma);
            rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma);
        }
        if (on_argument(name, argument)) return;
    }
}

bool list_names(std::string_view list, std::string_view field) noexcept {
    while (true) {
        const std::size_t comma = list.find(',');
        if (iequals(trim_ows(list.substr(0, comma)), field)) return true;
        if (comma == std::string_view::npos) return false;
        list.remove_prefix(comma + 1);
    }
}

bool has_qualified_directive(std::string_view head) noexcept {
    bool found = false;
    for (const http::HeaderView& h : http::HeadFields(head)) {
        if (!iequals(h.name, "cache-control")) continue;
        for_each_argument(h.value, [&](std::string_view name, std::string_view) {
            found = iequals(name, "private") || iequals(name, "no-cache");
            return found;
        });
        if (found) return true;
    }
    return false;
}

}  // namespace

bool withholds(std::string_view cache_control, std::string_view field) noexcept {
    bool named = false;
    for_each_argument(cache_control, [&](std::string_view name, std::string_view argument) {
        named =
            (iequals(name, "private") || iequals(name, "no-cache")) && list_names(argument, field);
        return named;
    });
    return named;
}

std::string without_set_cookie(std::string_view head) {
    std::string out;
    std::string_view rest = head;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line =
            rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
        rest.remove_prefix(line.size());
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos ||
            !iequals(trim_ows(line.substr(0, colon)), "set-cookie")) {
            out.append(line);
        }
    }
    return out;
}

std::string without_withheld_fields(std::string_view head, bool without_set_cookie) {
    const bool qualified = has_qualified_directive(head);
    if (!qualified && !without_set_cookie) return std::string(head);
    auto withheld = [&](std::string_view field) {
        if (without_set_cookie && iequals(field, "set-cookie")) return true;
        if (!qualified) return false;
        for (const http::HeaderView& h : http::HeadFields(head)) {
            if (iequals(h.name, "cache-control") && withholds(h.value, field)) return true;
        }
        return false;
    };
    std::string out;
    std::string_view rest = head;
    bool status_line = true;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line =
            rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
        rest.remove_prefix(line.size());
        const std::size_t colon = line.find(':');
        const bool drop = !status_line && colon != std::string_view::npos &&
                          withheld(trim_ows(line.substr(0, colon)));
        if (!drop) out.append(line);
        status_line = false;
    }
    return out;
}

}  // namespace cachet::cache
