// An Intel iGPU (an Intel display controller among a VM's gpu devices) passed through the way
// QEMU's IGD assignment needs it (QEMU docs/igd-assign.txt; docs/setup.md step 3):
// - igd-address: at guest address 00:02.0 on the root bus. On q35 libvirt otherwise puts it
//   behind a PCIe root port, and neither QEMU's IGD quirks nor the guest drivers recognise it.
// - igd-rom: an option ROM (<rom file=.../>) with an EFI image for this very device. Upstream
//   OVMF does not set up the OpRegion and stolen memory; IgdAssignmentDxe in the ROM does.
// - igd-opregion: the OpRegion (the VBT naming the outputs) handed to the guest: QEMU 10.1 and
//   later by default, 10.0 with x-igd-opregion=on; QEMU before 10.0 lacks the IGD quirks for
//   Alder Lake (and the other Gen 11/12 GPUs) altogether.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "checks.h"
#include "host_files.h"
#include "option_rom.h"
#include "pci_device.h"

namespace hotseat::ctl::doctor {
namespace {

constexpr const char* kGuestAddress = "0000:00:02.0";
constexpr unsigned long kQemu100 = 10000000;  // 10.0.0 in libvirt's numbering
constexpr unsigned long kQemu101 = 10001000;
const std::string kExample = " (docs/examples/arch-desktop.xml)";

struct Igd {
    const VmConfig& vm;
    const DomainFacts& facts;
    const HostdevFacts& hostdev;
    PciDevice device;
};

// Every Intel iGPU of every VM whose domain could be read and has a hostdev for it (the domain
// and hostdev checks speak about the others).
template <typename Judge>
void each_igd(DoctorContext& context, Findings& out, Judge judge) {
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.facts) continue;
        for (const auto& gpu : vm.gpu) {
            const HostdevFacts* hostdev = domain.facts->hostdev(gpu);
            if (!hostdev) continue;
            PciDevice device = read_pci_device(gpu);
            if (!device.intel_display()) continue;
            Finding f = judge(Igd{vm, *domain.facts, *hostdev, device});
            f.vm = vm.name;
            out.push_back(std::move(f));
        }
    }
}

Finding finding(Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = "", .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

Finding address(const Igd& igd) {
    const std::string who = "the iGPU " + igd.device.address;
    const std::string fix =
        "give its <hostdev> <address type='pci' domain='0x0000' bus='0x00' slot='0x02' "
        "function='0x0'/> with virsh edit " +
        igd.vm.name + " (move whatever libvirt put at 00:02.0, such as a pcie-root-port, elsewhere)" + kExample;
    if (igd.hostdev.guest_address == kGuestAddress)
        return finding(Severity::Ok, who +
                                         " sits at guest address 00:02.0, where QEMU's IGD quirks and the "
                                         "guest's drivers expect it");
    const std::string why = ": QEMU's IGD quirks and the guest's drivers only recognise it at 00:02.0";
    if (igd.hostdev.guest_address.empty())
        return finding(Severity::Error,
                       who +
                           " has no guest address in its <hostdev>: libvirt places it itself"
                           " (behind a PCIe root port on q35)" +
                           why,
                       fix);
    return finding(Severity::Error, who + " sits at guest address " + igd.hostdev.guest_address + why, fix);
}

Finding rom(const Igd& igd) {
    const std::string id = igd.device.id_text();
    const std::string device_id = igd.device.device ? id.substr(5) : "<device>";  // "8086:46d0" → "46d0"
    const std::string build = "build one from VfioIgdPkg (IgdAssignmentDxe; EfiRom -f 0x8086 -i 0x" + device_id +
                              ") or take a published ROM for this GPU";
    const std::string add = ", put it under /var/lib/libvirt/roms/ and name it in the <hostdev>: <rom file='...'/>" +
                            kExample;
    if (!igd.hostdev.has_rom || igd.hostdev.rom_file.empty())
        return finding(Severity::Error,
                       "the iGPU " + igd.device.address +
                           " has no option ROM (<rom file=.../>): upstream OVMF does "
                           "not set up the OpRegion and stolen memory it needs, so the guest gets no picture",
                       build + add);
    const std::string& path = igd.hostdev.rom_file;
    if (igd.hostdev.rom_bar == "off")
        return finding(Severity::Error, "the option ROM " + path + " is switched off (<rom bar='off'>)",
                       "remove bar='off' from the <rom> of the iGPU's <hostdev>");
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return finding(Severity::Error, "the option ROM " + path + " cannot be found: " + std::strerror(errno),
                       build + add);
    if (!S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) > kMaxOptionRomBytes)
        return finding(Severity::Error,
                       "the option ROM " + path +
                           " is not a ROM file (not a regular file of at "
                           "most 16 MiB)",
                       build + add);
    auto bytes = read_host_file(path, kMaxOptionRomBytes);
    if (!bytes)
        return finding(Severity::Error, "the option ROM " + path + " cannot be read: " + std::strerror(errno),
                       "make it readable (chmod 0644; QEMU runs as another user)");
    OptionRom parsed = parse_option_rom(*bytes);
    if (!parsed.error.empty())
        return finding(Severity::Error, "the option ROM " + path + " is not an option ROM: " + parsed.error,
                       build + add);
    std::string images;
    bool matches = false, efi = false;
    for (const auto& image : parsed.images) {
        images += (images.empty() ? "" : ", ") + code_type_name(image.code_type) + " " +
                  pci_id_text(image.vendor, image.device);
        if (igd.device.vendor && igd.device.device && image.supports(*igd.device.vendor, *igd.device.device)) {
            matches = true;
            efi = efi || image.code_type == 3;
        }
    }
    if (!matches)
        return finding(Severity::Error,
                       "the option ROM " + path + " is built for another device (" + images + "), not for " + id +
                           ": the guest firmware skips it",
                       "use a ROM built for " + id + ": " + build);
    if (!efi && igd.facts.firmware == "efi")
        return finding(
            Severity::Warning,
            "the option ROM " + path + " has no EFI image for " + id + " (" + images + "): OVMF runs only EFI images",
            build + " with IgdAssignmentDxe");
    return finding(Severity::Ok, "the option ROM " + path + " is built for " + id + " (" + images + ")");
}

Finding opregion(DoctorContext& context, const Igd& igd) {
    auto property = igd.facts.device_property(igd.hostdev, "x-igd-opregion");
    const bool on = property == Switch::On;
    const std::string set = "set it in the domain: <qemu:override><qemu:device alias='" +
                            (igd.hostdev.alias.empty() ? std::string("ua-igd") : igd.hostdev.alias) +
                            "'><qemu:frontend><qemu:property name='x-igd-opregion' type='bool' value='true'/>"
                            "</qemu:frontend></qemu:device></qemu:override>" +
                            (igd.hostdev.alias.empty() ? " and <alias name='ua-igd'/> in the <hostdev>" : "") +
                            kExample;
    if (property == Switch::Off)
        return finding(Severity::Error,
                       "x-igd-opregion is off for the iGPU " + igd.device.address +
                           ": the guest's driver gets no VBT and lights no output",
                       "remove it, or " + set);
    const QemuVersion& version = context.qemu_version();
    const std::string state = on ? "x-igd-opregion is on" : "x-igd-opregion is not set";
    if (!version.number)
        return finding(Severity::Warning,
                       "cannot tell QEMU's version (" + version.error + "); " + state +
                           ": Alder Lake needs QEMU 10.0 or later, and before 10.1 x-igd-opregion=on",
                       "check qemu-system-x86_64 --version" + (on ? std::string() : "; with QEMU 10.0 " + set));
    const std::string qemu = "QEMU " + version.text();
    if (*version.number < kQemu100)
        return finding(on ? Severity::Warning : Severity::Error,
                       qemu +
                           " is older than 10.0, the first with IGD quirks for Alder Lake (and the other Gen 11/12 "
                           "GPUs: their stolen memory is not set up)" +
                           (on ? std::string("; x-igd-opregion is on")
                               : "; and it hands the OpRegion over only with x-igd-opregion=on"),
                       "upgrade QEMU to 10.1 or later" + (on ? std::string() : ", or to 10.0 and " + set));
    if (*version.number < kQemu101 && !on)
        return finding(Severity::Error,
                       qemu +
                           " hands the OpRegion to the guest only with x-igd-opregion=on (the default from 10.1): "
                           "without it the guest's driver has no VBT and lights no output",
                       set + ", or upgrade QEMU to 10.1");
    if (*version.number < kQemu101)
        return finding(Severity::Ok, qemu + ", x-igd-opregion is on: the guest gets the host's OpRegion");
    return finding(Severity::Ok, qemu + " hands the OpRegion to the guest by default" +
                                     (on ? std::string(" (x-igd-opregion is on as well)") : ""));
}

}  // namespace

void check_igd_address(DoctorContext& context, Findings& out) { each_igd(context, out, address); }

void check_igd_rom(DoctorContext& context, Findings& out) { each_igd(context, out, rom); }

void check_igd_opregion(DoctorContext& context, Findings& out) {
    each_igd(context, out, [&](const Igd& igd) { return opregion(context, igd); });
}

}  // namespace hotseat::ctl::doctor
