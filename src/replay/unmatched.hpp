#pragma once
// The requests a replay had no answer for, so a user knows where their stand-in is
// incomplete: each worker counts its own by key (its thread only), and at exit the counts
// are summed into the report (--replay-report, JSON). Bounded: past kMaxKeys distinct keys
// only the total grows.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cachet::replay {

class UnmatchedRequests {
public:
    static constexpr std::size_t kMaxKeys = 10'000;

    // `key` as printable_key() shows it, with the request's method and URL as sent.
    void note(std::string_view key, std::string_view method, std::string_view url);
    void merge(const UnmatchedRequests& other);

    std::uint64_t total() const noexcept { return total_; }
    std::size_t distinct() const noexcept { return by_key_.size(); }

    // {"unmatched": N, "distinct": K, "dropped": D, "requests": [{"key": .., "method": ..,
    // "url": .., "count": ..}, ...]}, most frequent first.
    std::string report_json() const;

private:
    struct Seen {
        std::string method;
        std::string url;
        std::uint64_t count = 0;
    };
    std::unordered_map<std::string, Seen> by_key_;
    std::uint64_t total_ = 0;
    std::uint64_t dropped_ = 0;  // requests of keys past kMaxKeys
};

}  // namespace cachet::replay
