// load_config_string (hotseat/config.h): TOML text in, a validated Config or every problem
// found out. Reading the file is not here: config/file_loader.cpp, outside the pure core.
#include <algorithm>

#include "config/depth_scan.h"
#include "config/limits.h"
#include "config/quote.h"
#include "config/sections.h"
#include "config/suggest.h"
#include "config/table_reader.h"
#include "hotseat/config.h"

namespace hotseat {
namespace {

using config::Diagnostics;

void reject_unknown_sections(const toml::table& root, Diagnostics& diagnostics) {
    const std::vector<std::string_view> known = {"supervisor", "vm", "rule", "governor"};
    for (auto&& [key, value] : root) {
        if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
        diagnostics.error(key.source(),
                          "unknown key " + config::quoted(key.str()) +
                              " at the top level (expected [supervisor], [governor], [[vm]] and [[rule]])" +
                              config::did_you_mean(key.str(), known));
    }
}

void read_document(const toml::table& root, Diagnostics& diagnostics, Config& out) {
    reject_unknown_sections(root, diagnostics);
    if (const toml::node* node = root.get("supervisor")) out.supervisor = config::read_supervisor(*node, diagnostics);
    if (const toml::node* node = root.get("governor")) out.governor = config::read_governor(*node, diagnostics);
    if (const toml::node* node = root.get("vm")) out.vms = config::read_vms(*node, diagnostics);
    if (const toml::node* node = root.get("rule")) out.rules = config::read_rules(*node, out.vms, diagnostics);
}

// toml++ says "Error while parsing array: encountered end-of-file"; we say
// "syntax error in array: encountered end-of-file", in the style of the other messages.
std::string syntax_message(std::string_view description) {
    constexpr std::string_view kPrefix = "Error while parsing ";
    if (description.substr(0, kPrefix.size()) == kPrefix)
        return "syntax error in " + std::string(description.substr(kPrefix.size()));
    return "syntax error: " + std::string(description);
}

void parse_and_read(const std::string& text, const std::string& origin, Diagnostics& diagnostics, Config& out) {
    // toml++ follows dotted keys and nested values by recursion: bound them before it sees them.
    if (auto problem = config::scan_depth(text)) {
        toml::source_position at{problem->line, problem->column};
        diagnostics.error(toml::source_region{at, at, nullptr}, std::move(problem->message));
        return;
    }
    toml::table root;
    try {
        root = toml::parse(std::string_view(text), std::string_view(origin));
    } catch (const toml::parse_error& e) {
        diagnostics.error(e.source(), syntax_message(e.description()));
        return;
    }
    read_document(root, diagnostics, out);
}

ConfigLoad finish(Diagnostics& diagnostics, Config config) {
    ConfigLoad load;
    load.errors = diagnostics.take_errors();
    load.warnings = diagnostics.take_warnings();
    if (load.errors.empty()) load.config = std::move(config);
    return load;
}

}  // namespace

ConfigLoad load_config_string(const std::string& text, const std::string& origin) {
    Diagnostics diagnostics(origin);
    Config config;
    config.path = origin;
    if (text.size() > config::kMaxFileBytes)
        diagnostics.error_without_position("is " + std::to_string(text.size()) +
                                           " bytes; a config file is limited to " + config::kMaxFileBytesText);
    else
        parse_and_read(text, origin, diagnostics, config);
    return finish(diagnostics, std::move(config));
}

}  // namespace hotseat
