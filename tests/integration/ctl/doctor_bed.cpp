#include "doctor_bed.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace hotseat::test {
namespace fs = std::filesystem;

namespace {

std::string hostdev(const std::string& pci) {
    return "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x" + pci.substr(0, 4) +
           "' bus='0x" + pci.substr(5, 2) + "' slot='0x" + pci.substr(8, 2) + "' function='0x" + pci.substr(11, 1) +
           "'/></source></hostdev>";
}

std::string domain_xml(const TestDomain& d) {
    std::string xml = "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>" + d.name +
                      "</name><memory unit='MiB'>" + std::to_string(d.memory_mib) + "</memory><vcpu>1</vcpu>";
    if (d.hugepages) xml += "<memoryBacking><hugepages>" + d.page + "</hugepages></memoryBacking>";
    xml += "<os><type arch='x86_64'>hvm</type></os><devices>";
    for (const auto& pci : d.hostdevs) xml += hostdev(pci);
    if (!d.channel.empty())
        xml += "<channel type='unix'><source mode='" + d.channel + "' path='/run/hotseat-test-" + d.name +
               ".sock'/><target type='virtio' name='org.hotseat.guest.0'/></channel>";
    if (!d.balloon.empty()) xml += "<memballoon model='" + d.balloon + "'/>";
    return xml + "</devices><test:runstate>" + (d.running ? "1" : "5") + "</test:runstate></domain>\n";
}

}  // namespace

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

// IOMMU on (dmar0; the iGPU alone in group 1), vfio-pci loaded, 0 of 0 hugepages with 8 GiB
// free, an executable hook, and no domains or VMs yet.
DoctorBed::DoctorBed()
    : uri_("test://" + dir_.file("node.xml")), bus_("unix:path=" + dir_.file("no-bus-here")) {
    testbed_.add_intel_igpu();
    fs::create_directories(sys("/sys/class/iommu/dmar0"));
    fs::create_directories(sys("/sys/kernel/iommu_groups/0/devices"));
    put_in_group(kIgpu, 1);
    fs::create_directories(sys("/sys/bus/pci/drivers/vfio-pci"));
    std::string pool = "/sys/kernel/mm/hugepages/hugepages-2048kB";
    set(pool + "/nr_hugepages", "0\n");
    set(pool + "/free_hugepages", "0\n");
    set("/sys/devices/system/node/node0/meminfo",
        "Node 0 MemTotal:       12000000 kB\nNode 0 MemFree:         8388608 kB\nNode 0 MemUsed:  3611392 kB\n");
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

void DoctorBed::add_pci_device(const std::string& address, const std::string& pci_class, int group) {
    testbed_.add_device("pci", "pci0000:00/" + address, "", {{"class", pci_class}}, {{"PCI_SLOT_NAME", address}});
    put_in_group(address, group);
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
    return {HOTSEATCTL_PATH, "doctor", "--config", config(), "--hook", hook(), "--modules-dep", modules_dep()};
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
