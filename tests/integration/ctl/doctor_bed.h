// The machine `hotseatctl doctor` looks at, emulated: a umockdev test bed (IOMMU groups, the
// reference iGPU 0000:00:02.0, vfio-pci, the 2 MiB hugepage pool, one NUMA node's meminfo), a
// libvirt test-driver node file with the domains a test describes, the config, the hook file and
// a modules.dep. hotseatctl runs as a child that inherits umockdev's preload, so its /sys is the
// test bed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "process.h"
#include "run_command.h"
#include "testbed.h"

namespace hotseat::test {

inline const std::string kIgpu = "0000:00:02.0";

struct TestDomain {
    std::string name = "arch-desktop";
    int memory_mib = 512;
    std::vector<std::string> hostdevs;  // PCI addresses
    std::string balloon;                // <memballoon model=...>; empty: no element
    bool hugepages = false;
    std::string page;                   // inside <hugepages>, e.g. "<page size='1' unit='G'/>"
    std::string channel;                // the guest channel's <source mode=...>; empty: no channel
    bool running = false;               // the test driver's runstate: running, else shut off
};

struct Doctor {
    CommandResult result;
    std::vector<std::string> findings;  // "status check vm" (vm "-" when none), in order
    std::string json_text;
    std::string message(std::size_t index) const;  // the index-th finding's message
    std::string fix(std::size_t index) const;
    std::size_t last(const std::string& check) const;  // the index of the last finding of `check`
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

    void set_domains(const std::vector<TestDomain>& domains) const;
    // [supervisor] libvirt_uri = this bed's node file, then `vms` verbatim.
    void set_config(const std::string& vms) const;
    void set_libvirt_uri(const std::string& uri) { uri_ = uri; }
    void set_modules_dep(const std::string& text) const { write_file(modules_dep(), text); }
    // The system bus hotseatctl asks about the guest helper; by default a socket nobody listens on.
    void set_bus(const std::string& address) { bus_ = address; }

    std::string umockdev_dir() const { return testbed_.root(); }
    std::string dir() const { return dir_.path(); }
    std::string hook() const { return dir_.file("hotseat-hook"); }
    std::string config() const { return dir_.file("hotseat.toml"); }
    std::string modules_dep() const { return dir_.file("modules.dep"); }

    // hotseatctl doctor --json --config ... --hook ... --modules-dep ..., parsed.
    Doctor run(const std::vector<std::string>& extra = {}) const;
    // The same without --json: the table.
    CommandResult run_table() const;

private:
    std::vector<std::string> base_args() const;

    Testbed testbed_;
    TempDir dir_;
    std::string uri_;
    std::string bus_;
    mutable std::string vms_;
};

}  // namespace hotseat::test
