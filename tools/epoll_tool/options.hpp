#pragma once
// Command-line options the epoll benchmark tools share (cachet-limit-server,
// cachet-bench-origin): --listen, --threads and --help, plus the number parsers they use.
#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace cachet::tools::epoll_tool {

struct ListenerOptions {
    sockaddr_in listen{};
    unsigned threads = 1;  // one epoll loop and one SO_REUSEPORT socket each
};

// A plain decimal number, nothing before or after it.
std::optional<std::uint64_t> parse_number(std::string_view text);

// A decimal number with an optional k/K (x 1024) or m/M (x 1024 * 1024) suffix.
std::optional<std::uint64_t> parse_count(std::string_view text);

// "127.0.0.1:8080" -> the IPv4 socket address; port 0 lets the kernel pick.
std::optional<sockaddr_in> parse_listen(std::string_view text);

// What a tool's own option handler made of `--name value`.
enum class OptionResult : std::uint8_t { taken, bad_value, unknown };

// Called for an option other than --listen, --threads and --help. It prints why a value is bad
// itself (only it knows what the option expects) and returns bad_value.
using OtherOption = std::function<OptionResult(std::string_view name, const char* value)>;

// Parses argv starting from `defaults`. --help prints `usage` to stdout and exits 0. Anything
// wrong is printed to stderr as "`program`: what is wrong and how to fix it", and returns nothing.
std::optional<ListenerOptions> parse_options(const char* program, std::string_view usage, int argc,
                                             char** argv, ListenerOptions defaults,
                                             const OtherOption& other = {});

}  // namespace cachet::tools::epoll_tool
