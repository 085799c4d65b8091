// Each VM's libvirt domain against the configuration: it exists, it has a <hostdev> for every
// gpu device (and takes no PCI device the config does not know), and what its balloon can do
// (docs/design.md "Hardware facts" 3: QEMU disables virtio-balloon while a vfio-pci device is assigned, and
// hugepages cannot be ballooned either).
#include <algorithm>

#include "checks.h"

namespace hotseat::ctl::doctor {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

bool listed(const std::vector<std::string>& list, const std::string& address) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& a) { return lower(a) == lower(address); });
}

// "0000:00:02.0" → the <address> libvirt wants in a <hostdev>.
std::string hostdev_xml(const std::string& pci) {
    if (pci.size() != 12) return "<hostdev mode='subsystem' type='pci' managed='yes'>";
    return "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x" + pci.substr(0, 4) +
           "' bus='0x" + pci.substr(5, 2) + "' slot='0x" + pci.substr(8, 2) + "' function='0x" + pci.substr(11, 1) +
           "'/></source></hostdev>";
}

Finding finding(const std::string& vm, Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = vm, .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

}  // namespace

void check_domain(DoctorContext& context, Findings& out) {
    const std::string& uri = context.config().supervisor.libvirt_uri;
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!context.connection_error().empty()) {
            out.push_back(finding(vm.name, Severity::Error,
                                  "cannot connect to libvirt at " + uri + ": " + context.connection_error(),
                                  "start libvirtd, or correct libvirt_uri in [supervisor]"));
        } else if (!domain.exists) {
            out.push_back(finding(vm.name, Severity::Error, "libvirt at " + uri + " has no domain '" + vm.name + "'",
                                  "define it (virsh define FILE.xml) or correct the name in the configuration"));
        } else if (!domain.needs) {
            out.push_back(finding(vm.name, Severity::Error, "the domain is defined, but " + domain.error,
                                  "check it with virsh dumpxml " + vm.name));
        } else {
            out.push_back(finding(vm.name, Severity::Ok, "the domain is defined in libvirt at " + uri));
        }
    }
}

void check_hostdevs(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.needs) continue;  // check_domain said why
        for (const auto& gpu : vm.gpu) {
            if (listed(domain.needs->pci_devices, gpu))
                out.push_back(finding(vm.name, Severity::Ok, "the domain has a <hostdev> for " + gpu));
            else
                out.push_back(finding(vm.name, Severity::Error,
                                      "the domain has no <hostdev> for " + gpu + ", which gpu lists",
                                      "add " + hostdev_xml(lower(gpu)) + " with virsh edit " + vm.name));
        }
        for (const auto& pci : domain.needs->pci_devices)
            if (!listed(vm.gpu, pci))
                out.push_back(finding(vm.name, Severity::Warning,
                                      "the domain takes PCI device " + pci +
                                          ", which gpu does not list: hotseat "
                                          "cannot keep another VM from claiming it at the same time",
                                      "add \"" + pci + "\" to gpu of this VM"));
    }
}

void check_balloon(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.needs) continue;
        bool passthrough = !domain.needs->pci_devices.empty();
        bool hugepages = domain.needs->hugepages.has_value();
        bool balloon = domain.balloon_model != "none";
        const std::string fix = "set <memballoon model='none'/> and size <memory> for what the guest needs";
        if (balloon && passthrough)
            out.push_back(
                finding(vm.name, Severity::Warning,
                        "the domain has a balloon (" + domain.balloon_model +
                            ") but passes PCI devices "
                            "through: QEMU disables ballooning while a vfio-pci device is assigned (guest RAM "
                            "is pinned), so its memory stays fixed while it runs",
                        fix));
        else if (balloon && hugepages)
            out.push_back(finding(vm.name, Severity::Warning,
                                  "the domain has a balloon (" + domain.balloon_model +
                                      ") but its memory is backed "
                                      "by hugepages, which cannot be ballooned: its memory stays fixed while it runs",
                                  fix));
        else if (balloon)
            out.push_back(finding(vm.name, Severity::Ok,
                                  "the domain has a balloon (" + domain.balloon_model +
                                      "): the host can take memory back while it runs"));
        else
            out.push_back(finding(vm.name, Severity::Ok,
                                  std::string("no balloon: its memory stays fixed while it runs") +
                                      (passthrough ? " (as PCI passthrough requires)" : "")));
    }
}

}  // namespace hotseat::ctl::doctor
