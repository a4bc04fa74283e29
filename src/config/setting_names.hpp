#pragma once
// The names of one setting, all derived from its flag name: `cache-size` is the flag
// --cache-size, the environment variable CACHET_CACHE_SIZE and the config-file field
// cache_size. flags.cpp checks at compile time that every row of its table spells its
// variable this way, so a reader who knows one name knows all three.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::config {

inline constexpr std::string_view env_prefix = "CACHET_";

// True when `env` is "CACHET_" + `flag` upper-cased with '-' -> '_'.
constexpr bool is_env_name_of(std::string_view flag, std::string_view env) noexcept {
    if (env.size() != env_prefix.size() + flag.size()) return false;
    if (env.substr(0, env_prefix.size()) != env_prefix) return false;
    for (std::size_t i = 0; i < flag.size(); ++i) {
        char c = flag[i];
        char want = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        if (env[env_prefix.size() + i] != want) return false;
    }
    return true;
}

std::string env_name(std::string_view flag);    // "cache-size" -> "CACHET_CACHE_SIZE"
std::string field_name(std::string_view flag);  // "cache-size" -> "cache_size"

// The candidate nearest to a misspelt `word` by edit distance, when it is near enough to be
// the likely intent (at most 2 edits, and fewer than half the word's length).
std::optional<std::string> nearest_name(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace cachet::config
