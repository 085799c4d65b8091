// Each gpu device while no VM holds it: bound to its host driver (gpu-at-rest), and able to see
// a monitor plugged in at once (hpd-poll).
//
// hotseat's monitor rules work only while the host drives the GPU: the DRM connectors whose
// status changes fire them exist only with the host's driver bound, and so does the host's
// console. libvirt switches the device to vfio-pci on start and back on stop (managed='yes'),
// so at rest it must be with its driver: not pre-bound to vfio-pci (vfio-pci.ids=,
// driver_override), not left without a driver, and the driver not blacklisted or kept off KMS.
//
// While i915 has the GPU runtime-suspended its hotplug interrupts are off and the DRM core
// polls the connectors instead, every 10 s (DRM_OUTPUT_POLL_PERIOD): a plug then takes up to
// that long to be seen. With runtime PM `on` (power/control) interrupts stay armed.
#include <filesystem>
#include <sstream>

#include "checks.h"
#include "gpus.h"
#include "host_files.h"
#include "pci_device.h"

namespace hotseat::ctl::doctor {
namespace {

Finding finding(Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = "", .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

// The host's DRM driver for a display device, as far as the doctor can tell: i915 for Intel
// (xe takes over from Lunar Lake on), otherwise whatever is bound now.
bool host_driver(const PciDevice& d) {
    if (d.driver.empty() || d.driver == "vfio-pci" || d.driver == "pci-stub") return false;
    if (d.intel_display()) return d.driver == "i915" || d.driver == "xe";
    return true;
}

// Where `module` is kept from loading or from driving displays, one phrase each; empty when
// nowhere. modprobe.d(5): "blacklist M", "install M /bin/false|true"; the kernel command line:
// modprobe.blacklist=, module_blacklist=, nomodeset, M.modeset=0.
std::vector<std::string> module_disabled(const DoctorOptions& options, const std::string& module) {
    std::vector<std::string> where;
    for (const char* dir : {"/etc/modprobe.d", "/run/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d"}) {
        std::error_code ec;
        std::filesystem::directory_iterator it(host_file(options, dir), ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() != ".conf") continue;
            auto text = read_host_file(it->path().string());
            if (!text) continue;
            std::istringstream lines(*text);
            for (std::string line; std::getline(lines, line);) {
                std::istringstream words(line);
                std::string verb, name, command;
                words >> verb >> name >> command;
                if (name != module) continue;
                if (verb == "blacklist" || (verb == "install" && (command == "/bin/false" || command == "/bin/true")))
                    where.push_back(std::string(dir) + "/" + it->path().filename().string() + " (" + verb + " " +
                                    module + ")");
            }
        }
    }
    if (auto cmdline = read_host_file(host_file(options, "/proc/cmdline"), 64 * 1024)) {
        std::istringstream words(*cmdline);
        for (std::string word; words >> word;) {
            auto eq = word.find('=');
            std::string key = word.substr(0, eq), value = eq == std::string::npos ? "" : word.substr(eq + 1);
            bool listed = false;
            if (key == "modprobe.blacklist" || key == "module_blacklist") {
                std::istringstream names(value);
                for (std::string name; std::getline(names, name, ',');) listed = listed || name == module;
            }
            if (listed || word == "nomodeset" || word == module + ".modeset=0")
                where.push_back("the kernel command line (" + word + ")");
        }
    }
    return where;
}

std::string facts_text(const PciDevice& d) {
    return "boot_vga " + (d.boot_vga.empty() ? std::string("-") : d.boot_vga) + ", reset_method " +
           (d.reset_method.empty() ? std::string("none") : d.reset_method);
}

Finding at_rest(const DoctorOptions& options, const GpuUse& gpu, const PciDevice& d) {
    const std::string who = d.address + " (" + d.id_text() + ")";
    if (!gpu.holder.empty())
        return finding(Severity::Ok, who + " is with the running VM " + gpu.holder + " (driver " +
                                         (d.driver.empty() ? "none" : d.driver) +
                                         " now); judged again when no VM holds it");
    const std::string lost = ": monitor rules can never fire and the host has no console";
    const std::string module = d.intel_display() ? "i915" : d.driver;
    auto disabled = module.empty() ? std::vector<std::string>{} : module_disabled(options, module);
    if (!disabled.empty())
        return finding(Severity::Error,
                       module + " is disabled by " + joined(disabled) + ", so " + who + " stays without it" + lost,
                       "remove that (NixOS: boot.blacklistedKernelModules, boot.kernelParams) and reboot: libvirt "
                       "moves the GPU to vfio-pci only while a VM runs (managed='yes')");
    if (d.driver == "vfio-pci" || d.driver == "pci-stub" || (!d.driver_override.empty() && d.driver_override != module))
        return finding(Severity::Error,
                       who + " is bound to " + (d.driver.empty() ? "no driver" : d.driver) +
                           (d.driver_override.empty() ? "" : " (driver_override " + d.driver_override + ")") +
                           " while no VM holds it" + lost,
                       "give it back: virsh nodedev-reattach pci_" + d.address.substr(0, 4) + "_" +
                           d.address.substr(5, 2) + "_" + d.address.substr(8, 2) + "_" + d.address.substr(11, 1) +
                           "; and drop what binds it to vfio-pci at boot (vfio-pci.ids=, driver_override, "
                           "softdep): libvirt does that on start and undoes it on stop (managed='yes')");
    if (d.driver.empty())
        return finding(Severity::Error, who + " is bound to no driver while no VM holds it" + lost,
                       std::string("load its driver: modprobe ") + (module.empty() ? "<driver>" : module) +
                           ", or echo " + d.address + " > /sys/bus/pci/drivers_probe");
    if (!host_driver(d))
        return finding(Severity::Warning, who + " is bound to " + d.driver + ", not to i915 (" + facts_text(d) + ")",
                       "check that " + d.driver + " drives its connectors (ls /sys/class/drm)");
    return finding(Severity::Ok, who + " is bound to " + d.driver + " (" + facts_text(d) + ")");
}

Finding hotplug_polling(const PciDevice& d) {
    const std::string control = "/sys/bus/pci/devices/" + d.address + "/power/control";
    if (d.power_control == "auto")
        return finding(Severity::Warning,
                       "runtime PM of " + d.address +
                           " is auto: while it is runtime-suspended its driver polls "
                           "the connectors every 10 s instead of taking hotplug interrupts, so a monitor plugged in "
                           "can take that long to be seen",
                       "keep it awake: echo on > " + control +
                           " now, and at boot a udev rule: ACTION==\"add\", "
                           "SUBSYSTEM==\"pci\", KERNEL==\"" +
                           d.address +
                           "\", ATTR{power/control}=\"on\" "
                           "(NixOS: services.hotseat.keepGpusAwake, on by default, writes it)");
    if (d.power_control.empty())
        return finding(Severity::Ok, d.address + " has no runtime PM control (" + control + " is missing)");
    return finding(Severity::Ok,
                   "runtime PM of " + d.address + " is " + d.power_control + ": hotplug interrupts stay armed");
}

}  // namespace

void check_gpu_at_rest(DoctorContext& context, Findings& out) {
    for (const auto& gpu : configured_gpus(context)) {
        PciDevice d = read_pci_device(gpu.address);
        // iommu-group says when it is missing; functions that are no display (a GPU's HDMI audio)
        // have no connectors or console to lose.
        if (d.exists && d.display()) out.push_back(at_rest(context.options(), gpu, d));
    }
}

void check_hpd_poll(DoctorContext& context, Findings& out) {
    for (const auto& gpu : configured_gpus(context)) {
        PciDevice d = read_pci_device(gpu.address);
        if (d.exists && d.display()) out.push_back(hotplug_polling(d));
    }
}

}  // namespace hotseat::ctl::doctor
