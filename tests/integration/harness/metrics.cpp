#include "harness/metrics.hpp"

namespace cachet::integration {

std::optional<std::string> sample(const std::string& metrics, const std::string& name) {
    std::size_t at = 0;
    while ((at = metrics.find(name + " ", at)) != std::string::npos) {
        if (at == 0 || metrics[at - 1] == '\n') {
            auto value = at + name.size() + 1;
            return metrics.substr(value, metrics.find('\n', value) - value);
        }
        at += name.size();
    }
    return std::nullopt;
}

}  // namespace cachet::integration
