#pragma once
// Each setting's current value as the text its setter accepts, for --print-config: a file of
// the printed values reproduces the configuration. Kept beside the table of flags rather than
// in it, so a row keeps its five columns (name, variable, placeholder, help, setter); a row
// added without a rendering here still compiles, prints nothing, and fails the unit test
// "every setting renders its current value".
#include <optional>
#include <string>
#include <string_view>

#include "cachet/config.hpp"

namespace cachet::config {

// Keyed by the flag name without "--"; nullopt for a name with no rendering. A setting with
// no value (the origin before one is given) renders as "".
std::optional<std::string> current_value(const Config& config, std::string_view flag);

}  // namespace cachet::config
