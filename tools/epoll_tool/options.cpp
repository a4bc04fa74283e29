#include "epoll_tool/options.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace cachet::tools::epoll_tool {

std::optional<std::uint64_t> parse_number(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data()) return std::nullopt;
    std::string_view suffix(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (suffix.empty()) return value;
    if (suffix == "k" || suffix == "K") return value << 10;
    if (suffix == "m" || suffix == "M") return value << 20;
    return std::nullopt;
}

std::optional<sockaddr_in> parse_listen(std::string_view text) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string host(text.substr(0, colon));  // inet_pton wants a terminated string
    auto port = parse_number(text.substr(colon + 1));
    if (!port || *port > 65535) return std::nullopt;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(*port));
    if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return std::nullopt;
    return addr;
}

std::optional<ListenerOptions> parse_options(const char* program, std::string_view usage, int argc,
                                             char** argv, ListenerOptions defaults,
                                             const OtherOption& other) {
    ListenerOptions options = defaults;
    bool have_listen = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fwrite(usage.data(), 1, usage.size(), stdout);
            std::exit(0);
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s: %s: expected a value after it\n", program, argv[i]);
            return std::nullopt;
        }
        std::string_view value = argv[++i];
        if (arg == "--listen") {
            auto addr = parse_listen(value);
            if (!addr) {
                std::fprintf(stderr,
                             "%s: --listen: expected an IPv4 address and port like "
                             "127.0.0.1:8080, got \"%s\"\n",
                             program, argv[i]);
                return std::nullopt;
            }
            options.listen = *addr;
            have_listen = true;
        } else if (arg == "--threads") {
            auto threads = parse_number(value);
            if (!threads || *threads < 1 || *threads > 256) {
                std::fprintf(stderr, "%s: --threads: expected 1 to 256, got \"%s\"\n", program,
                             argv[i]);
                return std::nullopt;
            }
            options.threads = static_cast<unsigned>(*threads);
        } else {
            auto result = other ? other(arg, argv[i]) : OptionResult::unknown;
            if (result == OptionResult::bad_value) return std::nullopt;
            if (result == OptionResult::unknown) {
                // Names the value, not the option, as both tools always have; kept so that
                // their messages stay the same.
                std::fprintf(stderr, "%s: unknown option %s (try --help)\n", program, argv[i]);
                return std::nullopt;
            }
        }
    }
    if (!have_listen) {
        std::fprintf(stderr, "%s: --listen 127.0.0.1:PORT is required\n", program);
        return std::nullopt;
    }
    return options;
}

}  // namespace cachet::tools::epoll_tool
