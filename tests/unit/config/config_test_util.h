// Helpers shared by the config tests.
#pragma once

#include <string>
#include <vector>

#include "hotseat/config.h"

namespace hotseat::test {

// load_config_string with the origin "hotseat.toml".
ConfigLoad load_text(const std::string& text);

// Every error as "line:column: message", one per line: what a failing assertion prints.
std::string describe(const std::vector<ConfigError>& problems);

}  // namespace hotseat::test
