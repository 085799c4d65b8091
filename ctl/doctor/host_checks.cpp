// Passthrough on this machine: IOMMU on, vfio-pci there, and each gpu device's IOMMU group (a
// group goes to a VM whole; an integrated GPU that shares its group cannot be passed through at
// all). Only asked when some VM lists gpu devices. Every path is under /sys, read with plain
// glibc calls, so umockdev's test bed can stand in; modules.dep is found as host_files.h says.
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "checks.h"
#include "host_files.h"
#include "pci_device.h"
#include "sysfs.h"

namespace hotseat::ctl::doctor {
namespace {

namespace sysfs = hook::sysfs;

const std::string kIommuGroups = "/sys/kernel/iommu_groups";
const std::string kEnableIommu =
    "enable VT-d (Intel) or AMD-Vi in the firmware setup and boot with intel_iommu=on iommu=pt "
    "(AMD: amd_iommu=on) on the kernel command line";

bool any_gpu(const Config& config) {
    return std::any_of(config.vms.begin(), config.vms.end(), [](const VmConfig& vm) { return !vm.gpu.empty(); });
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// The last component of a symlink's target ("../../../kernel/iommu_groups/1" → "1"); empty
// when it is no link.
std::string link_name(const std::string& path) {
    char buffer[4096];
    ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer - 1);
    if (n <= 0) return "";
    std::string target(buffer, static_cast<std::size_t>(n));
    return target.substr(target.find_last_of('/') + 1);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string modules_dep_path(const DoctorOptions& options) {
    if (!options.modules_dep.empty()) return options.modules_dep;
    return default_modules_dep(options).path;
}

// modules.dep lines start with the module's path: ".../vfio-pci.ko[.xz|.zst|...]:".
bool module_listed(const std::string& modules_dep, const std::string& module) {
    std::ifstream in(modules_dep);
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(':');
        std::string path = line.substr(0, colon);
        auto slash = path.find_last_of('/');
        std::string file = path.substr(slash == std::string::npos ? 0 : slash + 1);
        if (file.rfind(module + ".ko", 0) == 0) return true;
    }
    return false;
}

// PCI bridges (class 0x0604xx) share groups with what sits behind them but are never assigned.
bool is_bridge(const std::string& address) {
    std::string error;
    auto cls = sysfs::read(std::string(kPciDevices) + "/" + address + "/class", &error);
    return cls && lower(*cls).rfind("0x0604", 0) == 0;
}

Finding group_finding(const VmConfig& vm, const std::string& address) {
    Finding f{.check = "", .vm = vm.name, .severity = Severity::Ok, .message = "", .fix = ""};
    if (!sysfs::exists(std::string(kPciDevices) + "/" + address)) {
        f.severity = Severity::Error;
        f.message = "PCI device " + address + " (gpu) does not exist on this machine";
        f.fix = "check the address with `lspci -D` and correct gpu in the configuration";
        return f;
    }
    std::string group = link_name(std::string(kPciDevices) + "/" + address + "/iommu_group");
    if (group.empty()) {
        f.severity = Severity::Error;
        f.message = "PCI device " + address + " is in no IOMMU group: it cannot be passed through";
        f.fix = kEnableIommu;
        return f;
    }
    std::vector<std::string> others;
    for (const auto& entry : sysfs::list(kIommuGroups + "/" + group + "/devices")) {
        bool ours = std::any_of(vm.gpu.begin(), vm.gpu.end(),
                                [&](const std::string& g) { return lower(g) == lower(entry.name); });
        if (!ours && !is_bridge(entry.name)) others.push_back(entry.name);
    }
    if (others.empty()) {
        f.message = "PCI device " + address + " is in IOMMU group " + group + " with nothing else to pass through";
        return f;
    }
    f.message = "IOMMU group " + group + " of " + address + " also holds " + joined(others) +
                ": a group goes to the VM whole";
    if (read_pci_device(address).intel_display()) {
        // An integrated GPU cannot be moved to another slot, and what shares its group on such
        // SoCs (the PCH's audio, LPC, SMBus) is what the host itself runs on.
        f.severity = Severity::Error;
        f.message += "; an integrated GPU has no other slot to move to";
        f.fix =
            "only the BIOS can help (a firmware update or setting that separates the devices); "
            "pcie_acs_override takes away the isolation the IOMMU exists for, and giving " +
            joined(others) + " to the VM takes them from the host";
        return f;
    }
    f.severity = Severity::Warning;
    f.fix = "add " + joined(others) +
            " to gpu (and a <hostdev> each in the domain), or bind them to vfio-pci; "
            "if they must stay with the host, put the GPU in another slot";
    return f;
}

}  // namespace

void check_iommu(DoctorContext& context, Findings& out) {
    if (!any_gpu(context.config())) return;
    auto groups = sysfs::list(kIommuGroups);
    std::vector<std::string> units;
    for (const auto& entry : sysfs::list("/sys/class/iommu")) units.push_back(entry.name);
    if (groups.empty()) {
        out.push_back({.check = "",
                       .vm = "",
                       .severity = Severity::Error,
                       .message = "the IOMMU is off (" + kIommuGroups + " is empty): no PCI passthrough",
                       .fix = kEnableIommu});
        return;
    }
    std::string message = "the IOMMU is on: " + std::to_string(groups.size()) + " groups";
    if (!units.empty()) message += " (" + joined(units) + ")";
    out.push_back({.check = "", .vm = "", .severity = Severity::Ok, .message = message, .fix = ""});
}

void check_vfio(DoctorContext& context, Findings& out) {
    if (!any_gpu(context.config())) return;
    Finding f{.check = "", .vm = "", .severity = Severity::Ok, .message = "", .fix = ""};
    std::string modules_dep = modules_dep_path(context.options());
    if (sysfs::exists("/sys/bus/pci/drivers/vfio-pci")) {
        f.message = "vfio-pci is loaded";
    } else if (sysfs::exists("/sys/module/vfio_pci")) {
        f.message = "vfio-pci is in the kernel";
    } else if (!modules_dep.empty() && module_listed(modules_dep, "vfio-pci")) {
        f.message = "vfio-pci is not loaded but is a module of this kernel (libvirt loads it at start)";
    } else {
        f.severity = Severity::Error;
        f.message = "vfio-pci is neither loaded nor a module of this kernel (" +
                    (modules_dep.empty() ? std::string("no modules.dep") : modules_dep) + ")";
        f.fix = "use a kernel built with CONFIG_VFIO_PCI, or load it: modprobe vfio-pci";
    }
    out.push_back(std::move(f));
}

void check_iommu_groups(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms)
        for (const auto& address : vm.gpu) out.push_back(group_finding(vm, address));
}

}  // namespace hotseat::ctl::doctor
