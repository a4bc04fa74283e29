#include "replay/unmatched.hpp"

#include <algorithm>
#include <vector>

#include "config/config_file.hpp"

namespace cachet::replay {

void UnmatchedRequests::note(std::string_view key, std::string_view method, std::string_view url) {
    ++total_;
    auto found = by_key_.find(std::string(key));
    if (found != by_key_.end()) {
        ++found->second.count;
        return;
    }
    if (by_key_.size() >= kMaxKeys) {
        ++dropped_;
        return;
    }
    by_key_.emplace(std::string(key), Seen{std::string(method), std::string(url), 1});
}

void UnmatchedRequests::merge(const UnmatchedRequests& other) {
    total_ += other.total_;
    dropped_ += other.dropped_;
    for (const auto& [key, seen] : other.by_key_) {
        auto found = by_key_.find(key);
        if (found != by_key_.end()) {
            found->second.count += seen.count;
        } else if (by_key_.size() < kMaxKeys) {
            by_key_.emplace(key, seen);
        } else {
            dropped_ += seen.count;
        }
    }
}

std::string UnmatchedRequests::report_json() const {
    std::vector<const std::pair<const std::string, Seen>*> rows;
    rows.reserve(by_key_.size());
    for (const auto& row : by_key_) rows.push_back(&row);
    std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
        return a->second.count != b->second.count ? a->second.count > b->second.count
                                                  : a->first < b->first;
    });
    using config::json_quoted;
    std::string out = "{\"unmatched\": " + std::to_string(total_) +
                      ", \"distinct\": " + std::to_string(by_key_.size()) +
                      ", \"dropped\": " + std::to_string(dropped_) + ", \"requests\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [key, seen] = *rows[i];
        out += (i ? ",\n  " : "\n  ");
        out += "{\"key\": " + json_quoted(key) + ", \"method\": " + json_quoted(seen.method) +
               ", \"url\": " + json_quoted(seen.url) +
               ", \"count\": " + std::to_string(seen.count) + "}";
    }
    out += rows.empty() ? "]}\n" : "\n]}\n";
    return out;
}

}  // namespace cachet::replay
