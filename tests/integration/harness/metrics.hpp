#pragma once
// Reading cachet's Prometheus text (/metrics) in a test.
#include <optional>
#include <string>

namespace cachet::integration {

// The value of the sample line `name` (labels included, exactly as cachet writes them).
std::optional<std::string> sample(const std::string& metrics, const std::string& name);

}  // namespace cachet::integration
