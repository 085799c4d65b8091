// hotseatctl doctor against an emulated machine (umockdev: IOMMU groups, vfio-pci, hugepages),
// libvirt's test driver (domains with and without hostdev, balloon, hugepages) and a hook file:
// the exact findings and the exit status.
#include <gtest/gtest.h>

#include <filesystem>

#include "daemon_process.h"
#include "doctor_bed.h"
#include "private_bus.h"

namespace hotseat::test {
namespace {

using Lines = std::vector<std::string>;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string kArchVm = "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\n";
const std::string kPlainVm = "[[vm]]\nname = \"plain\"\n";

// The iGPU's hostdev set up as docs/examples/arch-desktop.xml does (guest address 00:02.0, the
// bed's option ROM, UEFI), or the hostdevs given.
TestDomain arch(const DoctorBed& bed, std::vector<std::string> hostdevs = {kIgpu}) {
    TestDomain d = igd_domain(bed);
    d.hostdevs = std::move(hostdevs);
    return d;
}

const std::string kMonitorRule =
    "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\n"
    "connector = \"HDMI-A-1\"\naction = \"start\"\nvm = \"arch-desktop\"\n";

// Every check, each ok: the domain that passes all, on a machine in order.
const Lines kAllOk{"ok hook -",
                   "ok iommu -",
                   "ok vfio -",
                   "ok iommu-group arch-desktop",
                   "ok gpu-at-rest -",
                   "ok hpd-poll -",
                   "ok dri-users -",
                   "ok domain arch-desktop",
                   "ok hostdev arch-desktop",
                   "ok igd-address arch-desktop",
                   "ok igd-rom arch-desktop",
                   "ok igd-opregion arch-desktop",
                   "ok firmware arch-desktop",
                   "ok balloon arch-desktop",
                   "ok hugepages arch-desktop",
                   "ok memory arch-desktop",
                   "ok channel arch-desktop"};

TEST(CtlDoctor, EverythingInOrderIsAllOkAndExitsZero) {
    DoctorBed bed;
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm + kMonitorRule);
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    Lines expected = kAllOk;
    expected.insert(expected.begin() + 7, "ok connectors arch-desktop");
    EXPECT_EQ(d.findings, expected) << d.result.both();
    EXPECT_EQ(d.message(1), "the IOMMU is on: 2 groups (dmar0)");
    EXPECT_EQ(d.message(3), "PCI device 0000:00:02.0 is in IOMMU group 1 with nothing else to pass through");
    EXPECT_EQ(d.message(4), "0000:00:02.0 (8086:46d0) is bound to i915 (boot_vga 1, reset_method flr)");
    EXPECT_EQ(d.message(5), "runtime PM of 0000:00:02.0 is on: hotplug interrupts stay armed");
    EXPECT_TRUE(contains(d.message(6), "no process holds /dev/dri nodes of 0000:00:02.0 (looked at 0 processes"))
        << d.message(6);
    EXPECT_EQ(d.message(7), "rule desk-monitor: connector \"HDMI-A-1\" matches card0-HDMI-A-1 (disconnected)");
    EXPECT_EQ(d.message(10),
              "the iGPU 0000:00:02.0 sits at guest address 00:02.0, where QEMU's IGD quirks and the "
              "guest's drivers expect it");
    EXPECT_EQ(d.message(11), "the option ROM " + bed.rom() + " is built for 8086:46d0 (EFI 8086:46d0)");
    EXPECT_EQ(d.message(12), "QEMU 10.1.0 hands the OpRegion to the guest by default");
    EXPECT_EQ(d.message(13),
              "firmware='efi': libvirt has UEFI firmware for machine q35 (/usr/share/OVMF/OVMF_CODE_4M.fd)");
    EXPECT_EQ(d.message(14), "no balloon: its memory stays fixed while it runs (as PCI passthrough requires)");
    EXPECT_EQ(d.message(16),
              "VFIO pins all 512 MiB of the guest's RAM at start; 8192 MiB are available (MemAvailable), "
              "7680 MiB would be left");
    for (std::size_t i = 0; i < d.findings.size(); ++i) EXPECT_EQ(d.fix(i), "") << d.findings[i];
}

TEST(CtlDoctor, TableHasAFixUnderEachProblemAndASummary) {
    DoctorBed bed;
    bed.set_domains({arch(bed, {})});
    bed.set_config(kArchVm);
    std::filesystem::remove(bed.hook());
    auto r = bed.run_table();
    EXPECT_EQ(r.status, 1) << r.both();
    EXPECT_TRUE(contains(r.out, "STATUS  CHECK        VM            FINDING\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "error   hook         -             the libvirt hook " + bed.hook() + " is missing"))
        << r.out;
    EXPECT_TRUE(contains(r.out,
                         "error   hostdev      arch-desktop  the domain has no <hostdev> for 0000:00:02.0, "
                         "which gpu lists\n" +
                             std::string(35, ' ') +
                             "fix: add <hostdev mode='subsystem' "
                             "type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x02' "
                             "function='0x0'/></source></hostdev> with virsh edit arch-desktop\n"))
        << r.out;
    EXPECT_TRUE(r.out.ends_with("\n2 errors, 0 warnings\n")) << r.out;
}

TEST(CtlDoctor, IommuOffIsAnErrorForEveryGpu) {
    DoctorBed bed;
    bed.clear_iommu();
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm);
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    Lines expected = kAllOk;
    expected[1] = "error iommu -";
    expected[3] = "error iommu-group arch-desktop";
    EXPECT_EQ(d.findings, expected) << d.result.both();
    EXPECT_EQ(d.message(1), "the IOMMU is off (/sys/kernel/iommu_groups is empty): no PCI passthrough");
    EXPECT_TRUE(contains(d.fix(1), "intel_iommu=on")) << d.fix(1);
    EXPECT_EQ(d.message(3), "PCI device 0000:00:02.0 is in no IOMMU group: it cannot be passed through");
}

// A discrete GPU shares its group with its audio function: both go along, or it is a warning.
TEST(CtlDoctor, GroupCompanionsMustGoAlongButBridgesDoNot) {
    DoctorBed bed;
    bed.add_pci_device("0000:00:1c.0", "0x060400", 2);  // a PCI bridge: never assigned
    bed.add_pci_device("0000:01:00.0", "0x030000", 2);  // a discrete GPU (no Intel vendor ID)
    bed.add_pci_device("0000:01:00.1", "0x040300", 2);  // its HDMI audio: must go with it
    bed.set_domains({arch(bed, {"0000:01:00.0"})});
    const std::string vm = "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:01:00.0\"]\n";
    bed.set_config(vm);
    auto d = bed.run();
    ASSERT_GE(d.findings.size(), 4u) << d.result.both();
    EXPECT_EQ(d.findings[3], "warning iommu-group arch-desktop");
    EXPECT_EQ(d.message(3), "IOMMU group 2 of 0000:01:00.0 also holds 0000:01:00.1: a group goes to the VM whole");
    EXPECT_TRUE(contains(d.fix(3), "add 0000:01:00.1 to gpu")) << d.fix(3);

    // Listed in gpu too (with its hostdev): the group is whole again.
    bed.set_domains({arch(bed, {"0000:01:00.0", "0000:01:00.1"})});
    bed.set_config("[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:01:00.0\", \"0000:01:00.1\"]\n");
    d = bed.run();
    EXPECT_EQ(d.of("iommu-group"), (Lines{"ok iommu-group arch-desktop", "ok iommu-group arch-desktop"}))
        << d.result.both();
    EXPECT_EQ(d.of("hostdev"), (Lines{"ok hostdev arch-desktop", "ok hostdev arch-desktop"})) << d.result.both();
}

// The iGPU shares its group with the PCH's audio (as 00:1f.3 would without ACS): an integrated
// GPU has no other slot, so this is an error, and the fix does not offer to move it.
TEST(CtlDoctor, AnIgpuSharingItsGroupIsAnError) {
    DoctorBed bed;
    bed.add_pci_device("0000:00:1c.0", "0x060400", 1);  // bridges do not count
    bed.add_pci_device("0000:00:1f.3", "0x040300", 1);
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm);
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    ASSERT_EQ(d.of("iommu-group"), Lines{"error iommu-group arch-desktop"}) << d.result.both();
    EXPECT_EQ(d.message(3),
              "IOMMU group 1 of 0000:00:02.0 also holds 0000:00:1f.3: a group goes to the VM whole; "
              "an integrated GPU has no other slot to move to");
    EXPECT_TRUE(contains(d.fix(3), "pcie_acs_override takes away the isolation")) << d.fix(3);
    EXPECT_FALSE(contains(d.fix(3), "another slot")) << d.fix(3);
}

TEST(CtlDoctor, AnIgpuBesideABridgeOnlyIsFine) {
    DoctorBed bed;
    bed.add_pci_device("0000:00:1c.0", "0x060400", 1);
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm);
    auto d = bed.run();
    EXPECT_EQ(d.of("iommu-group"), Lines{"ok iommu-group arch-desktop"}) << d.result.both();
}

TEST(CtlDoctor, UnknownGpuAddressIsAnError) {
    DoctorBed bed;
    bed.set_domains({arch(bed, {"0000:03:00.0"})});
    bed.set_config("[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:03:00.0\"]\n");
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    ASSERT_GE(d.findings.size(), 4u) << d.result.both();
    EXPECT_EQ(d.findings[3], "error iommu-group arch-desktop");
    EXPECT_EQ(d.message(3), "PCI device 0000:03:00.0 (gpu) does not exist on this machine");
}

TEST(CtlDoctor, VfioLoadedBuiltInModuleOrMissing) {
    DoctorBed bed;
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm);
    EXPECT_EQ(bed.run().message(2), "vfio-pci is loaded");

    bed.remove("/sys/bus/pci/drivers/vfio-pci");
    bed.set("/sys/module/vfio_pci/parameters/ids", "\n");
    EXPECT_EQ(bed.run().message(2), "vfio-pci is in the kernel");

    bed.remove("/sys/module/vfio_pci");
    bed.set_modules_dep(
        "kernel/drivers/vfio/vfio.ko.xz:\n"
        "kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/pci/vfio-pci-core.ko.xz\n");
    auto module = bed.run();
    EXPECT_EQ(module.result.status, 0) << module.result.both();
    EXPECT_EQ(module.message(2), "vfio-pci is not loaded but is a module of this kernel (libvirt loads it at start)");

    bed.set_modules_dep("kernel/drivers/vfio/pci/vfio-pci-core.ko.xz:\n");
    auto missing = bed.run();
    EXPECT_EQ(missing.result.status, 1) << missing.result.both();
    EXPECT_EQ(missing.findings.at(2), "error vfio -");
    EXPECT_EQ(missing.message(2), "vfio-pci is neither loaded nor a module of this kernel (" + bed.modules_dep() + ")");
}

TEST(CtlDoctor, NoGpuAnywhereAsksNothingOfTheIommu) {
    DoctorBed bed;
    bed.clear_iommu();
    bed.remove("/sys/bus/pci/drivers/vfio-pci");
    TestDomain plain;
    plain.name = "plain";
    bed.set_domains({plain});
    bed.set_config(kPlainVm);
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    EXPECT_EQ(d.findings, (Lines{"ok hook -", "ok domain plain", "ok firmware plain", "ok balloon plain",
                                 "ok hugepages plain", "ok memory plain", "ok channel plain"}))
        << d.result.both();
    EXPECT_EQ(d.message(5), "its 512 MiB are not pinned: the host can reclaim what it does not use");
}

TEST(CtlDoctor, DomainMissingOrLibvirtUnreachable) {
    DoctorBed bed;
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm + "[[vm]]\nname = \"ghost\"\n");
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    Lines expected = kAllOk;
    expected.insert(expected.begin() + 8, "error domain ghost");
    EXPECT_EQ(d.findings, expected) << d.result.both();
    EXPECT_TRUE(contains(d.message(8), "has no domain 'ghost'")) << d.message(8);

    bed.set_libvirt_uri("test:///nonexistent/node.xml");
    d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    EXPECT_EQ(d.findings,
              (Lines{"ok hook -", "ok iommu -", "ok vfio -", "ok iommu-group arch-desktop", "ok gpu-at-rest -",
                     "ok hpd-poll -", "ok dri-users -", "error domain arch-desktop", "error domain ghost"}))
        << d.result.both();
    EXPECT_TRUE(contains(d.message(7), "cannot connect to libvirt at test:///nonexistent/node.xml: ")) << d.message(7);
}

TEST(CtlDoctor, HostdevMissingIsAnErrorAndAnUnlistedOneAWarning) {
    DoctorBed bed;
    bed.add_pci_device("0000:01:00.0", "0x030000", 2);
    bed.set_domains({arch(bed, {"0000:01:00.0"})});
    bed.set_config(kArchVm);
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    EXPECT_EQ(d.findings,
              (Lines{"ok hook -", "ok iommu -", "ok vfio -", "ok iommu-group arch-desktop", "ok gpu-at-rest -",
                     "ok hpd-poll -", "ok dri-users -", "ok domain arch-desktop", "error hostdev arch-desktop",
                     "warning hostdev arch-desktop", "ok firmware arch-desktop", "ok balloon arch-desktop",
                     "ok hugepages arch-desktop", "ok memory arch-desktop", "ok channel arch-desktop"}))
        << d.result.both();
    EXPECT_EQ(d.message(9),
              "the domain takes PCI device 0000:01:00.0, which gpu does not list: hotseat cannot keep "
              "another VM from claiming it at the same time");
}

TEST(CtlDoctor, BalloonAgainstPassthroughAndHugepages) {
    DoctorBed bed;
    TestDomain passthrough = arch(bed);
    passthrough.balloon = "virtio";
    TestDomain huge;
    huge.name = "huge";
    huge.balloon = "virtio";
    huge.hugepages = true;
    TestDomain plain;
    plain.name = "plain";
    plain.balloon = "virtio";
    TestDomain bare;  // no <memballoon> element at all
    bare.name = "bare";
    bed.set_domains({passthrough, huge, plain, bare});
    bed.set_config(kArchVm + "[[vm]]\nname = \"huge\"\n" + kPlainVm + "[[vm]]\nname = \"bare\"\n");
    auto d = bed.run({});
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    Lines balloon;
    for (std::size_t i = 0; i < d.findings.size(); ++i)
        if (contains(d.findings[i], " balloon ")) balloon.push_back(d.findings[i] + ": " + d.message(i));
    EXPECT_EQ(
        balloon,
        (Lines{"warning balloon arch-desktop: the domain has a balloon (virtio) but passes PCI devices through: "
               "QEMU disables ballooning while a vfio-pci device is assigned (guest RAM is pinned), so its memory "
               "stays fixed while it runs",
               "warning balloon huge: the domain has a balloon (virtio) but its memory is backed by hugepages, "
               "which cannot be ballooned: its memory stays fixed while it runs",
               "ok balloon plain: the domain has a balloon (virtio): the host can take memory back while it runs",
               "ok balloon bare: no balloon: its memory stays fixed while it runs"}))
        << d.result.both();
}

// 512 MiB in 2 MiB pages: 256 pages.
Doctor hugepage_run(DoctorBed& bed, const std::string& page = "") {
    TestDomain d = arch(bed);
    d.hugepages = true;
    d.page = page;
    bed.set_domains({d});
    bed.set_config(kArchVm);
    return bed.run();
}

TEST(CtlDoctor, HugepagesFreeAlready) {
    DoctorBed bed;
    bed.set("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "300\n");
    bed.set("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "260\n");
    auto d = hugepage_run(bed);
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    EXPECT_EQ(d.findings.at(d.last("hugepages")), "ok hugepages arch-desktop");
    EXPECT_EQ(d.message(d.last("hugepages")),
              "the domain asks for 256 hugepages of 2048 kB (512 MiB): 260 free of 300");
}

TEST(CtlDoctor, HugepagesTheHookCanAllocate) {
    DoctorBed bed;
    bed.set("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "100\n");
    bed.set("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "56\n");
    auto d = hugepage_run(bed);
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    EXPECT_EQ(d.findings.at(d.last("hugepages")), "ok hugepages arch-desktop");
    EXPECT_EQ(d.message(d.last("hugepages")),
              "the domain asks for 256 hugepages of 2048 kB (512 MiB): 56 free of 100; the hook allocates the 200 "
              "missing at start (400 MiB; whether the host has them: see memory)");
    EXPECT_EQ(d.findings.at(d.last("memory")), "ok memory arch-desktop");
    EXPECT_EQ(d.message(d.last("memory")),
              "the hook must allocate 200 more hugepages of 2048 kB (400 MiB) at start: 8192 MiB available, 6144 free "
              "blocks of order 9 or above (/proc/buddyinfo)");
}

TEST(CtlDoctor, HugepagesOfASizeWithoutPoolAreAnError) {
    DoctorBed bed;
    auto d = hugepage_run(bed, "<page size='1' unit='G'/>");
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    EXPECT_EQ(d.findings.at(d.last("hugepages")), "error hugepages arch-desktop");
    EXPECT_TRUE(contains(d.message(d.last("hugepages")),
                         "the domain asks for 1 hugepages of 1048576 kB (1024 MiB) but this kernel has no such pool"))
        << d.message(d.last("hugepages"));
}

TEST(CtlDoctor, HookMissingNotExecutableOrDangling) {
    DoctorBed bed;
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm);
    std::filesystem::permissions(bed.hook(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    EXPECT_EQ(d.findings.at(0), "error hook -");
    EXPECT_EQ(d.message(0), "the libvirt hook " + bed.hook() + " is not an executable file: libvirtd skips it");
    EXPECT_EQ(d.fix(0), "chmod 0755 " + bed.hook());

    std::filesystem::remove(bed.hook());
    std::filesystem::create_symlink("/nonexistent/hotseat-hook", bed.hook());
    d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    EXPECT_EQ(d.message(0), "the libvirt hook " + bed.hook() + " is a link to nothing");

    std::filesystem::remove(bed.hook());
    d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    EXPECT_EQ(d.message(0),
              "the libvirt hook " + bed.hook() + " is missing: hugepages and consoles are not prepared on start");
    // Every other finding is still ok: the hook alone decides the exit status here.
    Lines expected = kAllOk;
    expected[0] = "error hook -";
    EXPECT_EQ(d.findings, expected) << d.result.both();
}

// Without --hook and --modules-dep the doctor looks where this host keeps them: on NixOS
// libvirt's sysconfdir is /var/lib and the booted kernel's modules are under /run/booted-system.
TEST(CtlDoctor, HookAndModulesAreLookedForWhereNixosKeepsThem) {
    DoctorBed bed;
    bed.detect_paths();
    bed.remove("/sys/bus/pci/drivers/vfio-pci");
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm);
    bed.set_host_file("/etc/os-release", "NAME=NixOS\nID=nixos\nVERSION_ID=\"24.11\"\n");
    const std::string nixos_hook = bed.host("/var/lib/libvirt/hooks/qemu.d/hotseat");
    std::string release = run_capture({"uname", "-r"});
    while (!release.empty() && release.back() == '\n') release.pop_back();
    const std::string modules = "/run/booted-system/kernel-modules/lib/modules/" + release + "/modules.dep";
    const std::string nixos_modules = bed.host(modules);
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    EXPECT_EQ(d.findings.at(0), "error hook -") << d.result.both();
    EXPECT_EQ(d.message(0), "the libvirt hook " + nixos_hook +
                                " is missing (NixOS: libvirt's sysconfdir is /var/lib): "
                                "hugepages and consoles are not prepared on start");
    EXPECT_TRUE(contains(d.fix(0), "enable services.hotseat")) << d.fix(0);
    EXPECT_EQ(d.message(2), "vfio-pci is neither loaded nor a module of this kernel (" + nixos_modules + ")");

    bed.set_host_file("/var/lib/libvirt/hooks/qemu.d/hotseat", "#!/bin/sh\n");
    std::filesystem::permissions(nixos_hook, std::filesystem::perms(0755));
    bed.set_host_file(modules, "kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/pci/vfio-pci-core.ko.xz\n");
    d = bed.run();
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    EXPECT_EQ(d.message(0),
              "the libvirt hook is installed: " + nixos_hook + " (NixOS: libvirt's sysconfdir is /var/lib)");
    EXPECT_EQ(d.message(2), "vfio-pci is not loaded but is a module of this kernel (libvirt loads it at start)");

    // Elsewhere: /etc/libvirt.
    bed.set_host_file("/etc/os-release", "ID=debian\n");
    d = bed.run();
    EXPECT_EQ(d.message(0),
              "the libvirt hook " + bed.host("/etc/libvirt/hooks/qemu.d/hotseat") +
                  " is missing (libvirt's sysconfdir is /etc): hugepages and consoles are not prepared on start");
}

TEST(CtlDoctor, AnInvalidConfigIsTheOnlyFinding) {
    DoctorBed bed;
    std::string bad = bed.config() + ".bad";
    write_file(bad, "[[vm]]\nname = \"a\"\nshutdown_timeout_s = 0\n");
    auto r = run_command({HOTSEATCTL_PATH, "doctor", "--json", "--config", bad}, {});
    EXPECT_EQ(r.status, 1) << r.both();
    EXPECT_TRUE(contains(r.out, "\"check\": \"config\"")) << r.out;
    EXPECT_TRUE(contains(r.out, bad + ":3:22: ")) << r.out;
    EXPECT_TRUE(contains(r.out, "\"errors\": 1")) << r.out;
}

const std::string kGuestVm = "[[vm]]\nname = \"arch-desktop\"\nguest_channel = true\n";

TestDomain with_channel(const std::string& mode) {
    TestDomain d;
    d.channel = mode;
    return d;
}

// The channel in the domain against guest_channel; without hotseatd, the hello is not known.
TEST(CtlDoctor, GuestChannelIsCheckedAgainstTheConfig) {
    DoctorBed bed;
    bed.clear_iommu();
    bed.set_config(kGuestVm);
    bed.set_domains({TestDomain{}});
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    ASSERT_EQ(d.findings.at(d.last("channel")), "error channel arch-desktop") << d.result.both();
    EXPECT_EQ(d.message(d.last("channel")), "guest_channel = true, but the domain has no channel org.hotseat.guest.0");
    EXPECT_TRUE(contains(d.fix(d.last("channel")), "<target type='virtio' name='org.hotseat.guest.0'/>"));
    EXPECT_EQ(d.findings.back(), "ok helper arch-desktop");
    EXPECT_TRUE(contains(d.message(d.last("helper")), "hotseatd is not running")) << d.result.both();

    bed.set_domains({with_channel("bind")});
    d = bed.run();
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    EXPECT_EQ(d.findings.at(d.last("channel")), "ok channel arch-desktop");

    bed.set_domains({with_channel("connect")});
    d = bed.run();
    EXPECT_EQ(d.findings.at(d.last("channel")), "error channel arch-desktop");
    EXPECT_TRUE(contains(d.message(d.last("channel")), "unusable")) << d.message(d.last("channel"));

    bed.set_config("[[vm]]\nname = \"arch-desktop\"\n");
    bed.set_domains({with_channel("bind")});
    d = bed.run();
    EXPECT_EQ(d.findings.at(d.last("channel")), "warning channel arch-desktop");
    EXPECT_EQ(d.fix(d.last("channel")), "set guest_channel = true in this [[vm]]");
    EXPECT_EQ(d.last("helper"), d.findings.size()) << "no hello to wait for without guest_channel";
}

// A VM that hibernates needs the guest agent's channel and S4 left on; while it runs the agent is
// asked to answer (the test driver has no agent: libvirt says so). A VM that never hibernates is
// not looked at.
TEST(CtlDoctor, GuestAgentOfAHibernatingVm) {
    DoctorBed bed;
    bed.clear_iommu();
    bed.set_config("[[vm]]\nname = \"arch-desktop\"\nstop_mode = \"hibernate\"\n");
    bed.set_domains({TestDomain{}});
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    ASSERT_EQ(d.of("guest-agent"), Lines{"error guest-agent arch-desktop"}) << d.result.both();
    EXPECT_TRUE(contains(d.message(d.last("guest-agent")), "no guest agent channel org.qemu.guest_agent.0"));
    EXPECT_TRUE(contains(d.fix(d.last("guest-agent")), "<target type='virtio' name='org.qemu.guest_agent.0'/>"));

    TestDomain with_agent;
    with_agent.agent_channel = true;
    with_agent.suspend_to_disk = "no";
    bed.set_domains({with_agent});
    d = bed.run();
    EXPECT_EQ(d.of("guest-agent"), Lines{"error guest-agent arch-desktop"}) << d.result.both();
    EXPECT_TRUE(contains(d.message(d.last("guest-agent")), "<suspend-to-disk enabled='no'/>"));

    with_agent.suspend_to_disk = "yes";
    bed.set_domains({with_agent});
    d = bed.run();
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    EXPECT_EQ(d.of("guest-agent"), Lines{"ok guest-agent arch-desktop"}) << d.result.both();
    EXPECT_TRUE(contains(d.message(d.last("guest-agent")), "shows once the VM runs"));

    with_agent.running = true;
    bed.set_domains({with_agent});
    d = bed.run();
    EXPECT_EQ(d.of("guest-agent"), Lines{"warning guest-agent arch-desktop"}) << d.result.both();
    EXPECT_TRUE(contains(d.message(d.last("guest-agent")), "does not answer guest-ping: "))
        << d.message(d.last("guest-agent"));

    // A rule's action "hibernate" makes a VM one that hibernates too; without either, no finding.
    bed.set_domains({TestDomain{}});
    bed.set_config(
        "[[vm]]\nname = \"arch-desktop\"\n[[rule]]\nname = \"sleep\"\non = \"vm.idle\"\n"
        "action = \"hibernate\"\nvm = \"arch-desktop\"\n");
    EXPECT_EQ(bed.run().of("guest-agent"), Lines{"error guest-agent arch-desktop"});
    bed.set_config("[[vm]]\nname = \"arch-desktop\"\n");
    EXPECT_TRUE(bed.run().of("guest-agent").empty());
}

// hotseatd runs the VM (adopted from libvirt) and no helper has spoken: the doctor says so.
TEST(CtlDoctor, GuestHelperSilentWhileTheVmRunsIsAWarning) {
    DoctorBed bed;
    bed.clear_iommu();
    bed.set_config(kGuestVm);
    TestDomain running = with_channel("bind");
    running.running = true;
    bed.set_domains({running});
    PrivateBus bus;
    bed.set_bus(bus.address());
    DaemonProcess daemon(DaemonOptions{bed.config(), bed.umockdev_dir(), bus.address(), bed.dir(), {}});
    ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
    auto d = bed.run();
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    ASSERT_EQ(d.findings.back(), "warning helper arch-desktop") << d.result.both() << daemon.log();
    EXPECT_EQ(d.message(d.last("helper")), "the VM runs, but no guest helper has said hello");
    EXPECT_TRUE(contains(d.fix(d.last("helper")), "hotseat-guest")) << d.fix(d.last("helper"));
}

}  // namespace
}  // namespace hotseat::test

namespace hotseat::test {
namespace {

// libvirt's polkit access control (issue #19 item 6, docs/robustness.md "libvirt access"): for
// the local system libvirtd, whether it limits the user hotseat, and to which domains.
TEST(CtlDoctorLibvirtAccess, SaysWhetherPolkitLimitsTheUserHotseat) {
    DoctorBed bed;
    // The local system libvirtd, at a socket nobody listens on: the other checks cannot ask it,
    // this one reads its configuration (under --root).
    bed.set_libvirt_uri("qemu:///system?socket=" + bed.dir() + "/no-libvirtd-here");
    bed.set_config("[[vm]]\nname = \"arch-desktop\"\n\n[[vm]]\nname = \"windows\"\n");
    auto d = bed.run();
    ASSERT_EQ(d.of("libvirt-access"), Lines{"warning libvirt-access -"}) << d.result.both();
    EXPECT_TRUE(contains(d.message(d.last("libvirt-access")), "the user hotseat, in that group, is as good as root"))
        << d.result.both();
    EXPECT_TRUE(
        contains(d.fix(d.last("libvirt-access")), "access_drivers = [ \"polkit\" ] in /etc/libvirt/libvirtd.conf"))
        << d.result.both();

    // Commented out, it is still off.
    bed.set_host_file(
        "/etc/libvirt/libvirtd.conf",
        "#access_drivers = [ \"polkit\" ]\naccess_drivers = [ ]  # [ \"polkit\" ] once the rules are in\n");
    EXPECT_EQ(bed.run().of("libvirt-access"), Lines{"warning libvirt-access -"});

    // On, but nothing allows hotseat anything: every call would be refused.
    bed.set_host_file("/etc/libvirt/libvirtd.conf", "unix_sock_group = \"libvirt\"\naccess_drivers = [ \"polkit\" ]\n");
    d = bed.run();
    ASSERT_EQ(d.of("libvirt-access"), Lines{"error libvirt-access -"}) << d.result.both();
    EXPECT_TRUE(contains(d.message(d.last("libvirt-access")), "no polkit rule lets the user hotseat do anything"))
        << d.result.both();

    // The shipped rules as they come: arch-desktop alone, so windows is refused everything.
    const std::string rules = read_file(HOTSEAT_SOURCE_DIR "/rules/polkit/hotseat-libvirt.rules");
    bed.set_host_file("/etc/polkit-1/rules.d/50-hotseat-libvirt.rules", rules);
    d = bed.run();
    ASSERT_EQ(d.of("libvirt-access"), Lines{"error libvirt-access windows"}) << d.result.both();
    EXPECT_EQ(d.fix(d.last("libvirt-access")),
              "add \"windows\" to hotseatDomains in /etc/polkit-1/rules.d/50-hotseat-libvirt.rules");

    std::string both = rules;
    const std::string list = "var hotseatDomains = [\"arch-desktop\"];";
    ASSERT_NE(both.find(list), std::string::npos);
    both.replace(both.find(list), list.size(), "var hotseatDomains = [\"arch-desktop\", \"windows\"];");
    bed.set_host_file("/etc/polkit-1/rules.d/50-hotseat-libvirt.rules", both);
    d = bed.run();
    ASSERT_EQ(d.of("libvirt-access"), Lines{"ok libvirt-access -"}) << d.result.both();
    EXPECT_EQ(
        d.message(d.last("libvirt-access")),
        "libvirt asks polkit about every call (/etc/libvirt/libvirtd.conf); "
        "/etc/polkit-1/rules.d/50-hotseat-libvirt.rules lets the user hotseat act on the configured domains alone");

    // NixOS keeps libvirt's configuration in /var/lib/libvirt; the modular daemon reads virtqemud.conf.
    bed.set_host_file("/etc/os-release", "ID=nixos\n");
    EXPECT_EQ(bed.run().of("libvirt-access"), Lines{"warning libvirt-access -"});
    bed.set_host_file("/var/lib/libvirt/virtqemud.conf", "access_drivers = [ \"polkit\" ]\n");
    EXPECT_EQ(bed.run().of("libvirt-access"), Lines{"ok libvirt-access -"});
}

TEST(CtlDoctorLibvirtAccess, AnotherLibvirtIsNotJudged) {
    DoctorBed bed;  // the test driver: not this host's libvirtd, whose files say nothing about it
    bed.set_domains({arch(bed)});
    bed.set_config(kArchVm);
    EXPECT_TRUE(bed.run().of("libvirt-access").empty());
}

}  // namespace
}  // namespace hotseat::test
