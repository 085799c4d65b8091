#include "report.h"

#include <algorithm>

#include "json_output.h"
#include "text_table.h"

namespace hotseat::ctl::doctor {
namespace {

std::size_t count(const Findings& findings, Severity severity) {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.severity == severity; }));
}

std::string plural(std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

bool has_error(const Findings& findings) { return count(findings, Severity::Error) > 0; }

std::string format_table(const Findings& findings) {
    TextTable table({"STATUS", "CHECK", "VM", "FINDING"});
    for (const auto& f : findings) {
        table.add_row({std::string(to_string(f.severity)), f.check, f.vm.empty() ? "-" : f.vm, f.message});
        if (!f.fix.empty()) table.add_row({"", "", "", "fix: " + f.fix});
    }
    std::size_t errors = count(findings, Severity::Error), warnings = count(findings, Severity::Warning);
    std::string summary = errors + warnings == 0 ? "all " + std::to_string(findings.size()) + " findings ok\n"
                                                 : plural(errors, "error") + ", " + plural(warnings, "warning") + "\n";
    return table.render() + summary;
}

std::string format_json(const std::string& config_path, const Findings& findings) {
    Json list = Json::array();
    for (const auto& f : findings)
        list.push_back(Json{{"check", f.check},
                            {"vm", f.vm.empty() ? Json(nullptr) : Json(f.vm)},
                            {"status", std::string(to_string(f.severity))},
                            {"message", f.message},
                            {"fix", f.fix.empty() ? Json(nullptr) : Json(f.fix)}});
    Json out{{"config", config_path},
             {"errors", count(findings, Severity::Error)},
             {"warnings", count(findings, Severity::Warning)},
             {"findings", list}};
    return dump_json(out, true) + "\n";
}

}  // namespace hotseat::ctl::doctor
