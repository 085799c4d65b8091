// `hotseatctl doctor`: what the machine can do of what the configuration asks. Each check looks
// at one thing (IOMMU, vfio-pci, a domain's XML, hugepages, the hook ...) and says what it found
// as Findings; the registry (registry.cpp) lists the checks in the order they run.
//
// Adding a check: write `void check_something(DoctorContext&, Findings&)` in a new file here,
// declare it in checks.h, and add one line {"something", check_something} to kChecks in
// registry.cpp. Nothing else needs to change: output, JSON and the exit status follow.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotseat::ctl::doctor {

enum class Severity { Ok, Warning, Error };

std::string_view to_string(Severity severity);  // "ok", "warning", "error"

struct Finding {
    std::string check;  // the check's registry name ("iommu", "hostdev" ...)
    std::string vm;     // the VM it is about; empty for the machine as a whole
    Severity severity = Severity::Ok;
    std::string message;  // what was found, one sentence
    std::string fix;      // what to do about it; empty for ok
};

using Findings = std::vector<Finding>;

}  // namespace hotseat::ctl::doctor
