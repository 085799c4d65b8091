#include "config_test_util.h"

namespace hotseat::test {

ConfigLoad load_text(const std::string& text) { return load_config_string(text, "hotseat.toml"); }

std::string describe(const std::vector<ConfigError>& problems) {
    std::string text;
    for (const auto& problem : problems) text += problem.to_string() + "\n";
    return text.empty() ? "(none)" : text;
}

}  // namespace hotseat::test
