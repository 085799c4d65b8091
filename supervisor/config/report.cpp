#include "config/report.h"

namespace hotseat::config {
namespace {

std::string counted(std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// "file:line:column: severity: message", or "file: severity: message" without a position.
std::string line_for(const ConfigError& problem, const std::string& severity) {
    std::string place = problem.file;
    // Appended piece by piece: gcc 12 at -O3 warns -Wrestrict falsely on `":" + std::to_string(n)`
    // (GCC PR 105329), which a Release build would print for every packager.
    if (problem.line != 0) {
        place += ':';
        place += std::to_string(problem.line);
        place += ':';
        place += std::to_string(problem.column);
    }
    return place + ": " + severity + ": " + problem.message + "\n";
}

std::string origin_of(const ConfigLoad& load) {
    if (load.config) return load.config->path;
    if (!load.errors.empty()) return load.errors.front().file;
    return "config";
}

std::string summary(const ConfigLoad& load) {
    std::string text = origin_of(load) + ": ";
    if (load.config) {
        text += "OK (" + counted(load.config->vms.size(), "VM") + ", " + counted(load.config->rules.size(), "rule");
        if (!load.warnings.empty()) text += ", " + counted(load.warnings.size(), "warning");
        return text + ")\n";
    }
    text += counted(load.errors.size(), "error");
    if (!load.warnings.empty()) text += ", " + counted(load.warnings.size(), "warning");
    return text + "\n";
}

}  // namespace

std::string format_load_report(const ConfigLoad& load) {
    std::string text;
    for (const auto& error : load.errors) text += line_for(error, "error");
    for (const auto& warning : load.warnings) text += line_for(warning, "warning");
    return text + summary(load);
}

}  // namespace hotseat::config
