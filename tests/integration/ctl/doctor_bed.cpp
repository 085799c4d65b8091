#include "doctor_bed.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace hotseat::test {
namespace fs = std::filesystem;

namespace {

const std::string kDomainCapabilitiesEfi =
    "<domainCapabilities><path>/usr/bin/qemu-system-x86_64</path><domain>kvm</domain>"
    "<machine>pc-q35-10.1</machine><arch>x86_64</arch><os supported='yes'>"
    "<enum name='firmware'><value>bios</value><value>efi</value></enum>"
    "<loader supported='yes'><value>/usr/share/OVMF/OVMF_CODE_4M.fd</value>"
    "<enum name='type'><value>rom</value><value>pflash</value></enum></loader></os></domainCapabilities>\n";

std::string address(const std::string& pci) {
    return "<address domain='0x" + pci.substr(0, 4) + "' bus='0x" + pci.substr(5, 2) + "' slot='0x" + pci.substr(8, 2) +
           "' function='0x" + pci.substr(11, 1) + "'/>";
}

std::string hostdev(const TestDomain& d, const std::string& pci) {
    std::string xml = "<hostdev mode='subsystem' type='pci' managed='yes'><source>" + address(pci) + "</source>";
    if (pci == kIgpu && !d.igpu_rom.empty()) xml += "<rom file='" + d.igpu_rom + "'/>";
    if (pci == kIgpu && !d.igpu_address.empty())
        xml += "<address type='pci'" + address(d.igpu_address).substr(std::string("<address").size());
    return xml + "</hostdev>";
}

std::string domain_xml(const TestDomain& d) {
    std::string xml = "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>" + d.name +
                      "</name><memory unit='MiB'>" + std::to_string(d.memory_mib) + "</memory><vcpu>1</vcpu>";
    if (d.hugepages) xml += "<memoryBacking><hugepages>" + d.page + "</hugepages></memoryBacking>";
    xml += d.firmware.empty() ? "<os>" : "<os firmware='" + d.firmware + "'>";
    xml += "<type arch='x86_64' machine='" + d.machine + "'>hvm</type></os>";
    if (!d.suspend_to_disk.empty()) xml += "<pm><suspend-to-disk enabled='" + d.suspend_to_disk + "'/></pm>";
    xml += "<devices>";
    for (const auto& pci : d.hostdevs) xml += hostdev(d, pci);
    if (!d.channel.empty())
        xml += "<channel type='unix'><source mode='" + d.channel + "' path='/run/hotseat-test-" + d.name +
               ".sock'/><target type='virtio' name='org.hotseat.guest.0'/></channel>";
    if (d.agent_channel)
        xml += "<channel type='unix'><source mode='bind' path='/run/hotseat-test-" + d.name +
               ".agent'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>";
    if (!d.balloon.empty()) xml += "<memballoon model='" + d.balloon + "'/>";
    return xml + "</devices><test:runstate>" + (d.running ? "1" : "5") + "</test:runstate></domain>\n";
}

void put16(std::string& bytes, std::size_t at, std::uint16_t value) {
    bytes[at] = static_cast<char>(value & 0xff);
    bytes[at + 1] = static_cast<char>(value >> 8);
}

}  // namespace

std::string option_rom(std::uint16_t vendor, std::uint16_t device, std::uint8_t code_type,
                       const std::vector<std::uint16_t>& device_list) {
    std::string rom(1024, '\0');
    rom[0] = '\x55';
    rom[1] = '\xaa';
    rom[2] = 2;              // image size in 512-byte units
    put16(rom, 0x18, 0x1c);  // the PCI Data Structure
    rom.replace(0x1c, 4, "PCIR");
    put16(rom, 0x1c + 4, vendor);
    put16(rom, 0x1c + 6, device);
    put16(rom, 0x1c + 0x0a, 0x1c);  // its length
    rom[0x1c + 0x0c] = 3;           // revision 3: PCI 3.0 (device list pointer valid)
    rom[0x1c + 0x0d + 2] = 0x03;    // class code: display controller
    put16(rom, 0x1c + 0x10, 2);     // image length, 512-byte units
    rom[0x1c + 0x14] = static_cast<char>(code_type);
    rom[0x1c + 0x15] = '\x80';  // the last image
    if (!device_list.empty()) {
        put16(rom, 0x1c + 8, 0x40 - 0x1c);  // the device list, relative to the PCIR start
        std::size_t at = 0x40;
        for (auto id : device_list) put16(rom, at, id), at += 2;
    }
    return rom;
}

std::string Doctor::message(std::size_t index) const {
    return nlohmann::json::parse(json_text)["findings"].at(index)["message"].get<std::string>();
}

std::size_t Doctor::last(const std::string& check) const {
    auto findings = nlohmann::json::parse(json_text)["findings"];
    for (std::size_t i = findings.size(); i-- > 0;)
        if (findings[i]["check"] == check) return i;
    return findings.size();  // out of range: message()/fix() throw, findings[] is caught by the EXPECT
}

std::string Doctor::fix(std::size_t index) const {
    auto value = nlohmann::json::parse(json_text)["findings"].at(index)["fix"];
    return value.is_null() ? "" : value.get<std::string>();
}

std::vector<std::string> Doctor::of(const std::string& check) const {
    std::vector<std::string> out;
    for (const auto& f : findings)
        if (f.find(" " + check + " ") != std::string::npos) out.push_back(f);
    return out;
}

TestDomain igd_domain(const DoctorBed& bed) {
    TestDomain d;
    d.hostdevs = {kIgpu};
    d.balloon = "none";
    d.igpu_address = kIgdAddress;
    d.igpu_rom = bed.rom();
    d.firmware = "efi";
    return d;
}

// IOMMU on (dmar0; the iGPU alone in group 1), vfio-pci loaded, the iGPU with i915 and its DRM
// nodes, runtime PM on, 0 of 0 hugepages, 8 GiB available with plenty of contiguous memory, an
// executable hook, an option ROM for the iGPU, QEMU 10.1 with UEFI firmware, and no domains or
// VMs yet.
DoctorBed::DoctorBed() : uri_("test://" + dir_.file("node.xml")), bus_("unix:path=" + dir_.file("no-bus-here")) {
    testbed_.add_intel_igpu();
    const std::string igpu = testbed_.pci_syspath();
    set(igpu + "/reset_method", "flr\n");
    set(igpu + "/power/control", "on\n");
    fs::create_directories(sys("/dev/dri"));
    write_file(sys("/dev/dri/card0"), "");
    fs::create_directories(sys("/sys/class/iommu/dmar0"));
    fs::create_directories(sys("/sys/kernel/iommu_groups/0/devices"));
    put_in_group(kIgpu, 1);
    fs::create_directories(sys("/sys/bus/pci/drivers/vfio-pci"));
    std::string pool = "/sys/kernel/mm/hugepages/hugepages-2048kB";
    set(pool + "/nr_hugepages", "0\n");
    set(pool + "/free_hugepages", "0\n");
    set_host_file("/proc/meminfo",
                  "MemTotal:       12000000 kB\nMemFree:          524288 kB\n"
                  "MemAvailable:    8388608 kB\nCached:          7000000 kB\n");
    // Free blocks of order 0..10 per zone: 4096 of order 9 and 1024 of order 10 in Normal (6144 blocks
    // of 2 MiB), none in DMA32; the DMA zone does not count.
    set_host_file(
        "/proc/buddyinfo",
        "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3\n"
        "Node 0, zone    DMA32    100    100    100    100    100    100    100    100    100      0      0\n"
        "Node 0, zone   Normal   5000   4000   3000   2000   1000    500    200    100     50   4096   1024\n");
    set_host_file("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 intel_iommu=on iommu=pt\n");
    set_host_file("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
    fs::create_directories(host("/etc/modprobe.d"));
    write_file(rom(), option_rom(0x8086, 0x46d0));
    capabilities_ = dir_.file("domcapabilities.xml");
    write_file(capabilities_, kDomainCapabilitiesEfi);
    write_file(hook(), "#!/bin/sh\nexit 0\n", 0755);
    set_modules_dep("");
    set_domains({});
    set_config("");
}

void DoctorBed::set(const std::string& sys_path, const std::string& content) const {
    fs::create_directories(fs::path(sys(sys_path)).parent_path());
    write_file(sys(sys_path), content);
}

void DoctorBed::remove(const std::string& sys_path) const { fs::remove_all(sys(sys_path)); }

void DoctorBed::set_host_file(const std::string& path, const std::string& content) const {
    fs::create_directories(fs::path(host(path)).parent_path());
    write_file(host(path), content);
}

void DoctorBed::set_domain_capabilities(const std::string& xml) {
    capabilities_ = dir_.file("domcapabilities.xml");
    write_file(capabilities_, xml);
}

void DoctorBed::add_pci_device(const std::string& address, const std::string& pci_class, int group) {
    testbed_.add_device("pci", "pci0000:00/" + address, "", {{"class", pci_class}}, {{"PCI_SLOT_NAME", address}});
    put_in_group(address, group);
}

void DoctorBed::bind_igpu(const std::string& driver) const {
    const std::string link = sys(testbed_.pci_syspath() + "/driver");
    fs::remove(link);
    if (driver.empty()) return;
    fs::create_directories(sys("/sys/bus/pci/drivers/" + driver));
    fs::create_directory_symlink("../../../bus/pci/drivers/" + driver, link);
}

// As the kernel links them: the group lists its devices, each device points at its group.
void DoctorBed::put_in_group(const std::string& address, int group) const {
    std::string devices = sys("/sys/kernel/iommu_groups/" + std::to_string(group) + "/devices");
    fs::create_directories(devices);
    fs::create_directory_symlink("../../../../devices/pci0000:00/" + address, devices + "/" + address);
    fs::create_directory_symlink("../../../kernel/iommu_groups/" + std::to_string(group),
                                 sys("/sys/devices/pci0000:00/" + address + "/iommu_group"));
}

void DoctorBed::clear_iommu() const {
    remove("/sys/kernel/iommu_groups");
    fs::create_directories(sys("/sys/kernel/iommu_groups"));
    remove("/sys/class/iommu");
    for (const auto& entry : fs::directory_iterator(sys("/sys/devices/pci0000:00")))
        fs::remove(entry.path() / "iommu_group");
}

void DoctorBed::set_domains(const std::vector<TestDomain>& domains) const {
    std::string xml = "<node>\n";
    for (const auto& d : domains) xml += domain_xml(d);
    write_file(dir_.file("node.xml"), xml + "</node>\n");
}

void DoctorBed::set_config(const std::string& vms) const {
    vms_ = vms;
    write_file(config(), "[supervisor]\nlibvirt_uri = \"" + uri_ + "\"\n\n" + vms, 0644);
}

std::vector<std::string> DoctorBed::base_args() const {
    set_config(vms_);  // the URI may have changed
    std::vector<std::string> args{HOTSEATCTL_PATH, "doctor", "--config", config(), "--root", host("")};
    if (!detect_paths_) args.insert(args.end(), {"--hook", hook(), "--modules-dep", modules_dep()});
    if (!qemu_version_.empty()) args.insert(args.end(), {"--qemu-version", qemu_version_});
    if (!capabilities_.empty()) args.insert(args.end(), {"--domain-capabilities", capabilities_});
    return args;
}

Doctor DoctorBed::run(const std::vector<std::string>& extra) const {
    auto argv = base_args();
    argv.push_back("--json");
    argv.insert(argv.end(), extra.begin(), extra.end());
    Doctor doctor;
    doctor.result = run_command(argv, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_}});
    doctor.json_text = doctor.result.out;
    auto json = nlohmann::json::parse(doctor.result.out, nullptr, false);
    if (json.is_discarded()) return doctor;
    for (const auto& f : json["findings"])
        doctor.findings.push_back(f["status"].get<std::string>() + " " + f["check"].get<std::string>() + " " +
                                  (f["vm"].is_null() ? std::string("-") : f["vm"].get<std::string>()));
    return doctor;
}

CommandResult DoctorBed::run_table() const { return run_command(base_args(), {{"DBUS_SYSTEM_BUS_ADDRESS", bus_}}); }

}  // namespace hotseat::test
