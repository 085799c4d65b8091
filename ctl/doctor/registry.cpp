#include "checks.h"

namespace hotseat::ctl::doctor {

std::string_view to_string(Severity severity) {
    switch (severity) {
        case Severity::Ok: return "ok";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "error";
}

const std::vector<Check>& registered_checks() {
    // Machine first, then each VM's domain; add new checks here (see finding.h).
    static const std::vector<Check> kChecks{
        {"hook", check_hook},
        {"libvirt-access", check_libvirt_access},
        {"iommu", check_iommu},
        {"vfio", check_vfio},
        {"iommu-group", check_iommu_groups},
        {"gpu-at-rest", check_gpu_at_rest},
        {"hpd-poll", check_hpd_poll},
        {"dri-users", check_dri_users},
        {"connectors", check_connectors},
        {"domain", check_domain},
        {"hostdev", check_hostdevs},
        {"igd-address", check_igd_address},
        {"igd-rom", check_igd_rom},
        {"igd-opregion", check_igd_opregion},
        {"firmware", check_firmware},
        {"balloon", check_balloon},
        {"hugepages", check_hugepages},
        {"memory", check_memory},
        {"channel", check_guest_channel},
        {"helper", check_guest_helper},
        {"guest-agent", check_guest_agent},
    };
    return kChecks;
}

Findings run_checks(DoctorContext& context) {
    Findings findings;
    for (const auto& check : registered_checks()) {
        Findings found;
        check.run(context, found);
        for (auto& f : found) {
            if (f.check.empty()) f.check = std::string(check.name);
            findings.push_back(std::move(f));
        }
    }
    return findings;
}

}  // namespace hotseat::ctl::doctor
