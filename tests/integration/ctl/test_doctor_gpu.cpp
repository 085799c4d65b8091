// hotseatctl doctor's checks of the GPU and of how a domain passes it through, each in its ok and
// its failing cases, on the emulated machine of doctor_bed.h (umockdev for /sys and /dev, a
// directory for /proc and /etc, libvirt's test driver): gpu-at-rest, hpd-poll, dri-users,
// connectors, igd-address, igd-rom, igd-opregion, firmware, memory. The <qemu:override> the
// test driver drops is exercised against a real libvirtd (tests/e2e/test_doctor_libvirtd.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "doctor_bed.h"

namespace hotseat::test {
namespace {

using Lines = std::vector<std::string>;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string kArchVm = "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\n";

// The one finding of `check` (the test fails when there is not exactly one).
struct One {
    std::string line;  // "status check vm"
    std::string message;
    std::string fix;
};

One one(const Doctor& d, const std::string& check) {
    auto lines = d.of(check);
    EXPECT_EQ(lines.size(), 1u) << check << "\n" << d.result.both();
    if (lines.size() != 1) return {};
    return {lines[0], d.message(d.last(check)), d.fix(d.last(check))};
}

Doctor run_with(DoctorBed& bed, TestDomain domain, const std::string& config = kArchVm) {
    bed.set_domains({domain});
    bed.set_config(config);
    return bed.run();
}

// ---- gpu-at-rest ------------------------------------------------------------------------------

TEST(CtlDoctorGpu, AtRestTheIgpuMustBeWithI915) {
    DoctorBed bed;
    auto ok = one(run_with(bed, igd_domain(bed)), "gpu-at-rest");
    EXPECT_EQ(ok.line, "ok gpu-at-rest -");
    EXPECT_EQ(ok.message, "0000:00:02.0 (8086:46d0) is bound to i915 (boot_vga 1, reset_method flr)");

    bed.bind_igpu("vfio-pci");
    auto d = run_with(bed, igd_domain(bed));
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    auto vfio = one(d, "gpu-at-rest");
    EXPECT_EQ(vfio.line, "error gpu-at-rest -");
    EXPECT_EQ(vfio.message,
              "0000:00:02.0 (8086:46d0) is bound to vfio-pci while no VM holds it: monitor rules can "
              "never fire and the host has no console");
    EXPECT_TRUE(contains(vfio.fix, "virsh nodedev-reattach pci_0000_00_02_0")) << vfio.fix;

    bed.bind_igpu("");
    auto none = one(run_with(bed, igd_domain(bed)), "gpu-at-rest");
    EXPECT_EQ(none.line, "error gpu-at-rest -");
    EXPECT_EQ(none.message,
              "0000:00:02.0 (8086:46d0) is bound to no driver while no VM holds it: monitor rules can "
              "never fire and the host has no console");
    EXPECT_TRUE(contains(none.fix, "modprobe i915")) << none.fix;

    // driver_override pins it to vfio-pci even while i915 still has it.
    bed.bind_igpu("i915");
    bed.set(bed.testbed().pci_syspath() + "/driver_override", "vfio-pci\n");
    auto pinned = one(run_with(bed, igd_domain(bed)), "gpu-at-rest");
    EXPECT_EQ(pinned.line, "error gpu-at-rest -");
    EXPECT_TRUE(contains(pinned.message, "is bound to i915 (driver_override vfio-pci) while no VM holds it"))
        << pinned.message;
}

TEST(CtlDoctorGpu, I915BlacklistedOrOffKmsIsAnError) {
    DoctorBed bed;
    bed.set_host_file("/etc/modprobe.d/vfio.conf", "options vfio-pci ids=8086:46d0\nblacklist i915\n");
    auto modprobe = one(run_with(bed, igd_domain(bed)), "gpu-at-rest");
    EXPECT_EQ(modprobe.line, "error gpu-at-rest -");
    EXPECT_EQ(modprobe.message,
              "i915 is disabled by /etc/modprobe.d/vfio.conf (blacklist i915), so 0000:00:02.0 "
              "(8086:46d0) stays without it: monitor rules can never fire and the host has no console");
    EXPECT_TRUE(contains(modprobe.fix, "boot.blacklistedKernelModules")) << modprobe.fix;

    std::filesystem::remove(bed.host("/etc/modprobe.d/vfio.conf"));
    bed.set_host_file("/proc/cmdline", "root=/dev/sda1 intel_iommu=on modprobe.blacklist=nouveau,i915\n");
    auto cmdline = one(run_with(bed, igd_domain(bed)), "gpu-at-rest");
    EXPECT_EQ(cmdline.line, "error gpu-at-rest -");
    EXPECT_TRUE(contains(cmdline.message,
                         "i915 is disabled by the kernel command line "
                         "(modprobe.blacklist=nouveau,i915)"))
        << cmdline.message;

    bed.set_host_file("/proc/cmdline", "root=/dev/sda1 i915.modeset=0\n");
    EXPECT_EQ(one(run_with(bed, igd_domain(bed)), "gpu-at-rest").line, "error gpu-at-rest -");

    // Another module's blacklist is none of its business.
    bed.set_host_file("/proc/cmdline", "root=/dev/sda1 modprobe.blacklist=nouveau\n");
    bed.set_host_file("/etc/modprobe.d/other.conf", "blacklist i915x\ninstall pcspkr /bin/false\n");
    EXPECT_EQ(one(run_with(bed, igd_domain(bed)), "gpu-at-rest").line, "ok gpu-at-rest -");
}

TEST(CtlDoctorGpu, AGpuHeldByARunningVmIsJudgedLater) {
    DoctorBed bed;
    bed.bind_igpu("vfio-pci");  // as while the VM runs
    TestDomain running = igd_domain(bed);
    running.running = true;
    auto d = run_with(bed, running);
    auto held = one(d, "gpu-at-rest");
    EXPECT_EQ(held.line, "ok gpu-at-rest -");
    EXPECT_EQ(held.message,
              "0000:00:02.0 (8086:46d0) is with the running VM arch-desktop (driver vfio-pci now); judged "
              "again when no VM holds it");
    EXPECT_EQ(one(d, "dri-users").message,
              "0000:00:02.0 is with the running VM arch-desktop: no host process holds it");
    EXPECT_EQ(one(d, "memory").message, "the VM runs: its memory is taken already");
}

// ---- hpd-poll ---------------------------------------------------------------------------------

TEST(CtlDoctorGpu, RuntimePmAutoDelaysHotplugAndSaysHowToKeepItOn) {
    DoctorBed bed;
    bed.set(bed.testbed().pci_syspath() + "/power/control", "auto\n");
    auto d = run_with(bed, igd_domain(bed));
    EXPECT_EQ(d.result.status, 0) << d.result.both();  // a warning
    auto poll = one(d, "hpd-poll");
    EXPECT_EQ(poll.line, "warning hpd-poll -");
    EXPECT_TRUE(contains(poll.message, "runtime PM of 0000:00:02.0 is auto")) << poll.message;
    EXPECT_TRUE(contains(poll.message, "every 10 s")) << poll.message;
    EXPECT_TRUE(contains(poll.fix, "echo on > /sys/bus/pci/devices/0000:00:02.0/power/control")) << poll.fix;
    EXPECT_TRUE(contains(poll.fix,
                         "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"0000:00:02.0\", "
                         "ATTR{power/control}=\"on\""))
        << poll.fix;

    bed.set(bed.testbed().pci_syspath() + "/power/control", "on\n");
    EXPECT_EQ(one(run_with(bed, igd_domain(bed)), "hpd-poll").line, "ok hpd-poll -");
}

// ---- dri-users --------------------------------------------------------------------------------

// A real process holding the iGPU's /dev/dri/card0 (the test bed's node) open; the doctor finds
// it through its /proc entry, linked into the bed's --root.
TEST(CtlDoctorGpu, AProcessHoldingTheDrmNodeIsAWarning) {
    DoctorBed bed;
    const std::string node = bed.sys("/dev/dri/card0");
    Process holder({{"/bin/sh", "-c", "exec 3<'" + node + "'; exec sleep 60"}, {}, ""});
    const std::string proc = "/proc/" + std::to_string(holder.pid());
    ASSERT_TRUE(wait_until([&] {
        std::ifstream comm(proc + "/comm");
        std::string name;
        return std::getline(comm, name) && name == "sleep" && std::filesystem::exists(proc + "/fd/3");
    })) << "the holder did not start";
    std::filesystem::create_directory_symlink(proc, bed.host(proc));
    auto d = run_with(bed, igd_domain(bed));
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    auto users = one(d, "dri-users");
    EXPECT_EQ(users.line, "warning dri-users -");
    EXPECT_EQ(users.message,
              "processes hold /dev/dri nodes of 0000:00:02.0: sleep (pid " + std::to_string(holder.pid()) +
                  "): card0; starting a VM with it cuts them off (hardware transcoding, a desktop session)");
    EXPECT_TRUE(contains(users.fix, "fuser -v /dev/dri/*")) << users.fix;

    holder.stop();
    auto gone = one(run_with(bed, igd_domain(bed)), "dri-users");
    EXPECT_EQ(gone.line, "ok dri-users -");
    EXPECT_TRUE(contains(gone.message, "no process holds /dev/dri nodes of 0000:00:02.0")) << gone.message;
}

// ---- connectors -------------------------------------------------------------------------------

std::string monitor_rule(const std::string& connector) {
    return "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\nconnector = \"" + connector +
           "\"\naction = \"start\"\nvm = \"arch-desktop\"\n";
}

TEST(CtlDoctorGpu, EveryMonitorRuleConnectorMustExistOnTheHost) {
    DoctorBed bed;
    bed.testbed().add_connector("DP-1");
    bed.testbed().set_connector_status("DP-1", "connected");
    auto ok = one(run_with(bed, igd_domain(bed), kArchVm + monitor_rule("DP-*")), "connectors");
    EXPECT_EQ(ok.line, "ok connectors arch-desktop");
    EXPECT_EQ(ok.message, "rule desk-monitor: connector \"DP-*\" matches card0-DP-1 (connected)");

    auto d = run_with(bed, igd_domain(bed), kArchVm + monitor_rule("HDMI-A-2"));
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    auto wrong = one(d, "connectors");
    EXPECT_EQ(wrong.line, "error connectors arch-desktop");
    EXPECT_EQ(wrong.message,
              "rule desk-monitor: connector \"HDMI-A-2\" matches none of this host's connectors "
              "(DP-1 and HDMI-A-1): the rule can never fire");
    EXPECT_EQ(wrong.fix, "set connector to one of DP-1 and HDMI-A-1 (ls /sys/class/drm)");

    // No connectors at all (the GPU away from its driver): nothing to match against.
    bed.testbed().remove_connector("DP-1");
    bed.testbed().remove_connector("HDMI-A-1");
    auto none = one(run_with(bed, igd_domain(bed), kArchVm + monitor_rule("HDMI-A-1")), "connectors");
    EXPECT_EQ(none.line, "warning connectors arch-desktop");
    EXPECT_EQ(none.message,
              "rule desk-monitor: connector \"HDMI-A-1\" cannot be checked: the host has no DRM "
              "connectors now (see gpu-at-rest)");
}

// ---- igd-address ------------------------------------------------------------------------------

TEST(CtlDoctorGpu, TheIgpuMustSitAtGuestAddress0002) {
    DoctorBed bed;
    TestDomain unplaced = igd_domain(bed);
    unplaced.igpu_address = "";
    auto d = run_with(bed, unplaced);
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    auto none = one(d, "igd-address");
    EXPECT_EQ(none.line, "error igd-address arch-desktop");
    EXPECT_EQ(none.message,
              "the iGPU 0000:00:02.0 has no guest address in its <hostdev>: libvirt places it itself "
              "(behind a PCIe root port on q35): QEMU's IGD quirks and the guest's drivers only "
              "recognise it at 00:02.0");
    EXPECT_TRUE(contains(none.fix, "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"))
        << none.fix;

    TestDomain elsewhere = igd_domain(bed);
    elsewhere.igpu_address = "0000:00:05.0";
    auto moved = one(run_with(bed, elsewhere), "igd-address");
    EXPECT_EQ(moved.line, "error igd-address arch-desktop");
    EXPECT_TRUE(contains(moved.message, "sits at guest address 0000:00:05.0: QEMU's IGD quirks")) << moved.message;
}

// Not an Intel display controller: none of QEMU's IGD rules apply, and nothing is said.
TEST(CtlDoctorGpu, IgdChecksLeaveOtherGpusAlone) {
    DoctorBed bed;
    bed.add_pci_device("0000:01:00.0", "0x030000", 2);
    TestDomain dgpu = igd_domain(bed);
    dgpu.hostdevs = {"0000:01:00.0"};
    auto d = run_with(bed, dgpu, "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:01:00.0\"]\n");
    EXPECT_EQ(d.of("igd-address"), Lines{}) << d.result.both();
    EXPECT_EQ(d.of("igd-rom"), Lines{}) << d.result.both();
    EXPECT_EQ(d.of("igd-opregion"), Lines{}) << d.result.both();
}

// ---- igd-rom ----------------------------------------------------------------------------------

TEST(CtlDoctorGpu, TheIgpuNeedsAnOptionRomBuiltForIt) {
    DoctorBed bed;
    TestDomain without = igd_domain(bed);
    without.igpu_rom = "";
    auto none = one(run_with(bed, without), "igd-rom");
    EXPECT_EQ(none.line, "error igd-rom arch-desktop");
    EXPECT_EQ(none.message,
              "the iGPU 0000:00:02.0 has no option ROM (<rom file=.../>): upstream OVMF does not set "
              "up the OpRegion and stolen memory it needs, so the guest gets no picture");
    EXPECT_TRUE(contains(none.fix, "VfioIgdPkg (IgdAssignmentDxe; EfiRom -f 0x8086 -i 0x46d0)")) << none.fix;

    TestDomain missing = igd_domain(bed);
    missing.igpu_rom = bed.dir() + "/no-such.rom";
    auto gone = one(run_with(bed, missing), "igd-rom");
    EXPECT_EQ(gone.line, "error igd-rom arch-desktop");
    EXPECT_EQ(gone.message, "the option ROM " + missing.igpu_rom + " cannot be found: No such file or directory");

    write_file(bed.rom(), "not a ROM at all, just text\n");
    auto junk = one(run_with(bed, igd_domain(bed)), "igd-rom");
    EXPECT_EQ(junk.line, "error igd-rom arch-desktop");
    EXPECT_EQ(junk.message, "the option ROM " + bed.rom() + " is not an option ROM: no option ROM signature 55 AA");

    // Built for the N100's 46d1: the firmware skips it on this N97 (46d0).
    write_file(bed.rom(), option_rom(0x8086, 0x46d1));
    auto other = one(run_with(bed, igd_domain(bed)), "igd-rom");
    EXPECT_EQ(other.line, "error igd-rom arch-desktop");
    EXPECT_EQ(other.message, "the option ROM " + bed.rom() +
                                 " is built for another device (EFI 8086:46d1), not for "
                                 "8086:46d0: the guest firmware skips it");

    // ... unless its PCI 3.0 device list names this device too.
    write_file(bed.rom(), option_rom(0x8086, 0x46d1, 3, {0x46d2, 0x46d0}));
    EXPECT_EQ(one(run_with(bed, igd_domain(bed)), "igd-rom").line, "ok igd-rom arch-desktop");

    // A legacy VBIOS image alone does nothing under OVMF.
    write_file(bed.rom(), option_rom(0x8086, 0x46d0, 0));
    auto legacy = one(run_with(bed, igd_domain(bed)), "igd-rom");
    EXPECT_EQ(legacy.line, "warning igd-rom arch-desktop");
    EXPECT_EQ(legacy.message, "the option ROM " + bed.rom() +
                                  " has no EFI image for 8086:46d0 (legacy x86 VBIOS "
                                  "8086:46d0): OVMF runs only EFI images");
}

// ---- igd-opregion -----------------------------------------------------------------------------

// The test driver keeps no <qemu:override>, so these domains never set x-igd-opregion: QEMU's
// own default decides.
TEST(CtlDoctorGpu, OpregionDependsOnTheQemuVersion) {
    DoctorBed bed;
    auto ok = one(run_with(bed, igd_domain(bed)), "igd-opregion");
    EXPECT_EQ(ok.line, "ok igd-opregion arch-desktop");
    EXPECT_EQ(ok.message, "QEMU 10.1.0 hands the OpRegion to the guest by default");

    bed.set_qemu_version("10.0.3");
    auto d = run_with(bed, igd_domain(bed));
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    auto ten = one(d, "igd-opregion");
    EXPECT_EQ(ten.line, "error igd-opregion arch-desktop");
    EXPECT_EQ(ten.message,
              "QEMU 10.0.3 hands the OpRegion to the guest only with x-igd-opregion=on (the default "
              "from 10.1): without it the guest's driver has no VBT and lights no output");
    EXPECT_TRUE(contains(ten.fix, "<qemu:property name='x-igd-opregion' type='bool' value='true'/>")) << ten.fix;
    EXPECT_TRUE(contains(ten.fix, "<alias name='ua-igd'/>")) << ten.fix;

    bed.set_qemu_version("7.2");
    auto old = one(run_with(bed, igd_domain(bed)), "igd-opregion");
    EXPECT_EQ(old.line, "error igd-opregion arch-desktop");
    EXPECT_TRUE(contains(old.message, "QEMU 7.2.0 is older than 10.0, the first with IGD quirks for Alder Lake"))
        << old.message;

    // Asked of the test driver itself: it runs no QEMU, so the version is unknown.
    bed.set_qemu_version("");
    auto unknown = one(run_with(bed, igd_domain(bed)), "igd-opregion");
    EXPECT_EQ(unknown.line, "warning igd-opregion arch-desktop");
    EXPECT_EQ(unknown.message,
              "cannot tell QEMU's version (libvirt's TEST driver runs no QEMU); x-igd-opregion is not "
              "set: Alder Lake needs QEMU 10.0 or later, and before 10.1 x-igd-opregion=on");

    bed.set_qemu_version("ten");
    auto bad = one(run_with(bed, igd_domain(bed)), "igd-opregion");
    EXPECT_TRUE(contains(bad.message, "--qemu-version ten is not a version")) << bad.message;
}

// ---- firmware ---------------------------------------------------------------------------------

TEST(CtlDoctorGpu, FirmwareEfiNeedsAUefiLoader) {
    DoctorBed bed;
    bed.set_domain_capabilities(
        "<domainCapabilities><machine>pc-q35-7.2</machine><os supported='yes'>"
        "<enum name='firmware'><value>bios</value></enum><loader supported='yes'><enum name='type'>"
        "<value>rom</value><value>pflash</value></enum></loader></os></domainCapabilities>");
    auto d = run_with(bed, igd_domain(bed));
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    auto none = one(d, "firmware");
    EXPECT_EQ(none.line, "error firmware arch-desktop");
    EXPECT_EQ(none.message,
              "firmware='efi', but libvirt lists no UEFI firmware for machine q35: the domain cannot start");
    EXPECT_TRUE(contains(none.fix, "apt install ovmf")) << none.fix;

    // Older libvirt without firmware autoselection lists the loaders only.
    bed.set_domain_capabilities(
        "<domainCapabilities><os supported='yes'><loader supported='yes'>"
        "<value>/usr/share/OVMF/OVMF_CODE.fd</value></loader></os></domainCapabilities>");
    EXPECT_EQ(one(run_with(bed, igd_domain(bed)), "firmware").line, "ok firmware arch-desktop");

    // An answer describing no firmware at all (no <os>) is unknown, not "none".
    bed.set_domain_capabilities("<domainCapabilities><machine>q35</machine><devices/></domainCapabilities>");
    auto silent = one(run_with(bed, igd_domain(bed)), "firmware");
    EXPECT_EQ(silent.line, "warning firmware arch-desktop");
    EXPECT_EQ(silent.message,
              "cannot ask libvirt which firmware it has for machine q35: its answer describes no "
              "firmware (no <os> element)");

    // libvirt's test driver cannot answer (libvirt 9 refuses the call, libvirt 11 answers
    // without <os>): unknown, not an error.
    bed.ask_libvirt_for_capabilities();
    auto unknown = one(run_with(bed, igd_domain(bed)), "firmware");
    EXPECT_EQ(unknown.line, "warning firmware arch-desktop");
    EXPECT_TRUE(contains(unknown.message, "cannot ask libvirt which firmware it has for machine q35: "))
        << unknown.message;

    TestDomain bios = igd_domain(bed);
    bios.firmware = "";
    EXPECT_EQ(one(run_with(bed, bios), "firmware").line, "ok firmware arch-desktop");
}

// ---- memory -----------------------------------------------------------------------------------

TEST(CtlDoctorGpu, PinnedRamIsJudgedByMemAvailableNotMemFree) {
    DoctorBed bed;
    TestDomain big = igd_domain(bed);
    big.memory_mib = 6144;
    // A server whose page cache fills its RAM: little free, much available. Healthy.
    bed.set_host_file("/proc/meminfo", "MemTotal: 12000000 kB\nMemFree: 204800 kB\nMemAvailable: 9437184 kB\n");
    auto ok = one(run_with(bed, big), "memory");
    EXPECT_EQ(ok.line, "ok memory arch-desktop");
    EXPECT_EQ(ok.message,
              "VFIO pins all 6144 MiB of the guest's RAM at start; 9216 MiB are available (MemAvailable), "
              "3072 MiB would be left");

    bed.set_host_file("/proc/meminfo", "MemTotal: 12000000 kB\nMemFree: 8000000 kB\nMemAvailable: 4194304 kB\n");
    auto d = run_with(bed, big);
    EXPECT_EQ(d.result.status, 1) << d.result.both();
    auto short_of = one(d, "memory");
    EXPECT_EQ(short_of.line, "error memory arch-desktop");
    EXPECT_EQ(short_of.message,
              "VFIO pins all 6144 MiB of the guest's RAM at start, but only 4096 MiB are available "
              "(MemAvailable): the host would swap or kill processes to make room");
}

TEST(CtlDoctorGpu, HugepagesNeedAvailableAndContiguousMemory) {
    DoctorBed bed;
    TestDomain huge = igd_domain(bed);
    huge.hugepages = true;  // 512 MiB: 256 pages of 2 MiB, none in the pool
    auto ok = one(run_with(bed, huge), "memory");
    EXPECT_EQ(ok.line, "ok memory arch-desktop");

    // Enough memory, but fragmented: 100 + 50*2 blocks of order >= 9 for 256 pages.
    bed.set_host_file("/proc/buddyinfo",
                      "Node 0, zone   Normal  90000 40000 20000 9000 4000 2000 900 400 200 100 50\n");
    auto d = run_with(bed, huge);
    EXPECT_EQ(d.result.status, 0) << d.result.both();
    auto fragmented = one(d, "memory");
    EXPECT_EQ(fragmented.line, "warning memory arch-desktop");
    EXPECT_EQ(fragmented.message,
              "the hook must allocate 256 more hugepages of 2048 kB (512 MiB) at start: 8192 MiB "
              "available, but only 200 free blocks of order 9 or above (/proc/buddyinfo): the hook "
              "compacts memory first and may still fall short, and then the start fails");
    EXPECT_TRUE(contains(fragmented.fix, "hugepages=256")) << fragmented.fix;

    bed.set_host_file("/proc/meminfo", "MemTotal: 12000000 kB\nMemFree: 8000000 kB\nMemAvailable: 307200 kB\n");
    auto none = one(run_with(bed, huge), "memory");
    EXPECT_EQ(none.line, "error memory arch-desktop");
    EXPECT_EQ(none.message,
              "the hook must allocate 256 more hugepages of 2048 kB (512 MiB) at start, but only 300 MiB "
              "are available (MemAvailable)");

    // Free in the pool already: nothing to allocate.
    bed.set("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "256\n");
    bed.set("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "256\n");
    EXPECT_EQ(one(run_with(bed, huge), "memory").message, "the 256 hugepages it needs are free in the pool already");
}

}  // namespace
}  // namespace hotseat::test
