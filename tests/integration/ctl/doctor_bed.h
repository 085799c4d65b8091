// The machine `hotseatctl doctor` looks at, emulated: a umockdev test bed (IOMMU groups, the
// reference iGPU 0000:00:02.0 with its DRM nodes, vfio-pci, the 2 MiB hugepage pool), a
// directory standing in for the host's /proc, /etc and /run (`--root`: meminfo, buddyinfo, the
// kernel command line, os-release, modprobe.d), a libvirt test-driver node file with the
// domains a test describes, the config, the hook file, a modules.dep, an option ROM file, and
// what libvirt's test driver cannot answer (`--qemu-version`, `--domain-capabilities`).
// hotseatctl runs as a child that inherits umockdev's preload, so its /sys and /dev are the
// test bed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "process.h"
#include "testbed.h"

namespace hotseat::test {

inline const std::string kIgpu = "0000:00:02.0";
inline const std::string kIgdAddress = "0000:00:02.0";  // the guest address QEMU's IGD rules want

struct TestDomain {
    std::string name = "arch-desktop";
    int memory_mib = 512;
    std::vector<std::string> hostdevs;  // PCI addresses
    std::string balloon;                // <memballoon model=...>; empty: no element
    bool hugepages = false;
    std::string page;             // inside <hugepages>, e.g. "<page size='1' unit='G'/>"
    std::string channel;          // the guest channel's <source mode=...>; empty: no channel
    bool agent_channel = false;   // QEMU's guest agent channel org.qemu.guest_agent.0
    std::string suspend_to_disk;  // <pm><suspend-to-disk enabled=...>; empty: no <pm>
    bool running = false;         // the test driver's runstate: running, else shut off
    // The iGPU's <hostdev> (source kIgpu): its guest <address>, e.g. kIgdAddress, and <rom file>;
    // empty: none.
    std::string igpu_address;
    std::string igpu_rom;
    std::string firmware;  // <os firmware=...>; empty: none
    std::string machine = "q35";
};

// A PCI option ROM of one image (PCI Firmware Spec 3.0 layout), as EfiRom writes one.
std::string option_rom(std::uint16_t vendor, std::uint16_t device, std::uint8_t code_type = 3,
                       const std::vector<std::uint16_t>& device_list = {});

struct Doctor {
    CommandResult result;
    std::vector<std::string> findings;  // "status check vm" (vm "-" when none), in order
    std::string json_text;
    std::string message(std::size_t index) const;  // the index-th finding's message
    std::string fix(std::size_t index) const;
    std::size_t last(const std::string& check) const;  // the index of the last finding of `check`
    // "status check vm" of every finding of `check`, in order.
    std::vector<std::string> of(const std::string& check) const;
};

class DoctorBed {
public:
    DoctorBed();  // a machine where everything is in order (see the .cpp)

    std::string sys(const std::string& sys_path) const { return testbed_.root() + sys_path; }
    void set(const std::string& sys_path, const std::string& content) const;
    void remove(const std::string& sys_path) const;
    // A PCI device under /sys/devices/pci0000:00 with class `pci_class`, placed in IOMMU group `group`.
    void add_pci_device(const std::string& address, const std::string& pci_class, int group);
    void put_in_group(const std::string& address, int group) const;
    void clear_iommu() const;  // no groups, no iommu_group links, no /sys/class/iommu units
    // Repoints the iGPU's driver link ("" unbinds it), as the kernel does on a bind.
    void bind_igpu(const std::string& driver) const;
    Testbed& testbed() { return testbed_; }

    // The host's files outside /sys and /dev: `path` is absolute ("/proc/meminfo").
    std::string host(const std::string& path) const { return dir_.file("root") + path; }
    void set_host_file(const std::string& path, const std::string& content) const;

    void set_domains(const std::vector<TestDomain>& domains) const;
    // [supervisor] libvirt_uri = this bed's node file, then `vms` verbatim.
    void set_config(const std::string& vms) const;
    void set_libvirt_uri(const std::string& uri) { uri_ = uri; }
    void set_modules_dep(const std::string& text) const { write_file(modules_dep(), text); }
    // The system bus hotseatctl asks about the guest helper; by default a socket nobody listens on.
    void set_bus(const std::string& address) { bus_ = address; }
    // What the libvirt test driver cannot say: the QEMU version (empty: ask libvirt, which has
    // none) and the domain capabilities (empty: ask libvirt, which cannot answer).
    void set_qemu_version(const std::string& version) { qemu_version_ = version; }
    void set_domain_capabilities(const std::string& xml);
    void ask_libvirt_for_capabilities() { capabilities_.clear(); }
    // Leaves --hook and --modules-dep to hotseatctl's own detection (under --root).
    void detect_paths() { detect_paths_ = true; }

    std::string umockdev_dir() const { return testbed_.root(); }
    std::string dir() const { return dir_.path(); }
    std::string hook() const { return dir_.file("hotseat-hook"); }
    std::string config() const { return dir_.file("hotseat.toml"); }
    std::string modules_dep() const { return dir_.file("modules.dep"); }
    // An option ROM built for the iGPU (8086:46d0, EFI).
    std::string rom() const { return dir_.file("igd.rom"); }

    // hotseatctl doctor --json --config ... --hook ... --modules-dep ... --root ..., parsed.
    Doctor run(const std::vector<std::string>& extra = {}) const;
    // The same without --json: the table.
    CommandResult run_table() const;

private:
    std::vector<std::string> base_args() const;

    Testbed testbed_;
    TempDir dir_;
    std::string uri_;
    std::string bus_;
    std::string qemu_version_ = "10.1.0";
    std::string capabilities_;
    bool detect_paths_ = false;
    mutable std::string vms_;
};

// A domain that passes every check on this bed: the iGPU at guest 00:02.0 with the bed's ROM,
// UEFI on q35, no balloon.
TestDomain igd_domain(const DoctorBed& bed);

}  // namespace hotseat::test
