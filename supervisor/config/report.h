// The text `hotseatd --check-config` and `hotseatctl check-config` print for a config load.
#pragma once

#include <string>

#include "hotseat/config.h"

namespace hotseat::config {

// One line per problem, compiler style so editors can jump to it:
//   hotseat.toml:12:11: error: rule "desk-monitor": vm "arch" is not defined (...)
//   hotseat.toml:20:6: warning: rule "desk-hotkey": trigger hotkey is accepted but ...
// then a summary line: "hotseat.toml: OK (1 VM, 4 rules, 1 warning)" or
// "hotseat.toml: 2 errors, 1 warning". Every line ends with '\n'.
std::string format_load_report(const ConfigLoad& load);

}  // namespace hotseat::config
