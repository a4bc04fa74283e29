#pragma once
// The setters of the flags table (flag_table.hpp): each parses one setting's text into the
// Config and returns "" when the value is valid, else what was expected ("a duration like
// 500ms, 2s or 1m"), which flags.cpp and config_file.cpp turn into the error naming the
// flag, variable or field.
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

#include "cachet/config.hpp"
#include "util/time.hpp"

namespace cachet::config {

std::string set_listen(Config& c, std::string_view v);
std::string set_origin(Config& c, std::string_view v);
std::string set_tls_listen(Config& c, std::string_view v);
// The TLS settings together: a certificate needs its key, --tls-listen a certificate.
std::string check_tls(const Config& c);
std::string set_workers(Config& c, std::string_view v);
std::string set_size(std::size_t& out, std::string_view v, std::size_t min);
std::string set_duration(Millis& out, std::string_view v);
std::string set_bool(bool& out, std::string_view v);
std::string set_admin(Config& c, std::string_view v);
std::string set_admin_token(Config& c, std::string_view v);
std::string set_purge_tag_headers(Config& c, std::string_view v);
std::string set_access_log(Config& c, std::string_view v);
std::string set_access_log_format(Config& c, std::string_view v);
std::string set_path(std::string& out, std::string_view v);

// A whole number in [min, max], else `expected`.
template <class T>
std::string parse_count(std::string_view v, T& out, T min, T max, std::string_view expected) {
    unsigned long long n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || end != v.data() + v.size() || n < min || n > max) {
        return std::string(expected);
    }
    out = static_cast<T>(n);
    return {};
}

}  // namespace cachet::config
